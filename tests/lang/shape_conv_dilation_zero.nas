// A dilation below 1 is refused at the value given (issue 18).
use std.layers
model zero_dilation(x: tensor[1, 8, 8]) -> tensor[10] {
    return x |> depthwise_conv2d(dilation = 0) |> flatten |> dense(10)
// expect: error NAS0901 at 4:45
}
