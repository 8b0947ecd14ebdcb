// NAS0801: a range bound from a block's parameters is allowed, but one that depends on a
// decision is not (the space cannot express a range whose size another decision sets).
use std.layers
block stage(x: tensor) -> tensor {
    let k = choice [4, 8]
    return x |> dense(choice width 1 .. k) |> relu
// expect: error NAS0801 at 6:41
}
model m(x: tensor[16]) -> tensor[4] {
    return x |> stage |> dense(4)
}
