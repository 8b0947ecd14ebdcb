// space_model case: a decision under a condition over two decisions that is no `and` of one
// test per decision (a == b) cannot be expressed.
use std.layers

model bad(x: tensor[4]) -> tensor[2] {
    let a = choice [1, 2]
    let b = choice [1, 2]
    if a == b {
        x = x |> choice z [relu, sigmoid]
    }
    if a != b {
        x = x |> relu
    }
    return dense(x, 2)
}
