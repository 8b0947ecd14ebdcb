// NAS0801: a repeat count computed from two decisions cannot be expressed in the space
// (a count may depend on one decision); the error is at the count.
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = choice [1, 2]
    let b = choice [1, 2]
    repeat a + b { x = x |> dense(4) |> relu }
// expect: error NAS0801 at 7:12
    return dense(x, 2)
}
