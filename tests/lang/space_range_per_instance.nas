// A range bound from a block's parameter is constant per instance: `choice width 1 .. n` gives
// each instance its own range (1 .. 8 and 1 .. 16 here: 8 x 16 = 128 architectures), as the
// list form `[n / 2, n, n * 2]` does. It used to be NAS0413 "must be a constant".
// args: {file}
// expect-output: 2 decisions (0 conditional), 128 architectures
use std.layers
block stage(x: tensor, n: int) -> tensor {
    return x |> dense(choice width 1 .. n) |> relu
}
model m(x: tensor[16]) -> tensor[4] {
    x = stage(x, 8)
    x = stage(x, 16)
    return dense(x, 4)
}
