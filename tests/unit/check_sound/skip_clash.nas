// A skip connection that clashes only when the stage changes the channel count and the skip
// is taken: conditional (skip) x per-instance decisions (width) across two block instances.
use std.layers
block stage(x: tensor, c_in: int) -> tensor {
    let c = choice width [8, 16]
    let y = x |> conv2d(c) |> relu
    if choice skip bool { y = y + x }
    return y
}
model net(x: tensor[8, 8, 8]) -> tensor[10] {
    x = stage(x, 8)
    x = stage(x, 8)
    return x |> global_avgpool |> dense(10)
}
