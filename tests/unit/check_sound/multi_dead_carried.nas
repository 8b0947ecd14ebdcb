// p is updated every iteration (with layers of its own) but the model returns x only, and x
// reads p on some paths: p's layers count only where a later iteration mixes it into x.
// expect-feasible: exact
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = x |> dense(4)
    repeat 5 {
        let q = p |> dense(choice pw [4, 6])
        let y = x |> dense(4) |> relu
        if choice mix bool { y = add(y, p |> dense(4)) }
        p = q
        x = y
    }
    return dense(x, 2)
}
