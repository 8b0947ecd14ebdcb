// oneof alternatives of different shapes, added to a fixed tensor: only some clash.
use std.layers
block cell(x: tensor) -> tensor {
    let a = oneof op [conv2d(x, 16), conv2d(x, 16, kernel = 5), maxpool(x, 2, stride = 1, padding = "same"), conv2d(x, 8, stride = 2)]
    return a + conv2d(x, 16)
}
model net(x: tensor[16, 8, 8]) -> tensor[4] {
    x = cell(x)
    x = cell(x)
    return x |> global_avgpool |> dense(4)
}
