// A choice inside the body assigns only one of the two carried tensors: the other keeps its
// value (and its cost) from an earlier iteration.
// expect-feasible: exact
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = x
    repeat 5 {
        if choice go bool {
            p = x
            x = x |> dense(choice w [4, 8, 12]) |> relu
        } else {
            p = p |> dense(choice v [3, 5])
        }
    }
    return dense(concat([p, x]), 2)
}
