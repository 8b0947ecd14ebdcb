// A chain of stages whose widths change the next stage's input: each stage instance is
// walked once per input shape, and its result shapes branch the model's walk.
// expect-feasible: exact
use std.layers
block stage(x: tensor) -> tensor {
    let w = choice width [4, 8, 12]
    let k = choice kernel [1, 3]
    x = x |> conv2d(w, kernel = k) |> relu
    if choice extra bool { x = conv2d(x, w, kernel = 3) }
    return maxpool(x, 2)
}
model net(x: tensor[3, 16, 16]) -> tensor[5] {
    x = stage(x)
    x = stage(x)
    x = stage(x)
    return x |> global_avgpool |> dense(5)
}
