// NAS0801: a range from a block's parameter that is empty in one instance (6 .. 4) is reported
// at the decision, with the instance's bounds.
// args: {file}
// expect-stderr: 8:23: error[NAS0801]: empty range in this instance: the lower bound 6 exceeds the upper bound 4
// expect-exit: 1
use std.layers
block stage(x: tensor, n: int) -> tensor {
    return x |> dense(choice w n .. 4) |> relu
}
model m(x: tensor[16]) -> tensor[4] {
    x = stage(x, 2)
    x = stage(x, 6)
    return dense(x, 4)
}
