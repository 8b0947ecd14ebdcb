// Two carried tensors added: inside the loop the shapes differ where a cell's width differs
// from the one two cells back (and the first cells always differ); after it, x must have
// width 4, which depends on which carried result is which.
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = x |> dense(6)
    repeat 5 {
        let y = x |> dense(choice w [4, 8]) |> relu
        if choice mix bool { y = add(p, y) }
        p = x
        x = y
    }
    return dense(add(p |> dense(4), x), 2)
}
