// modules/common.nas — helper module for module_* cases (modules/ is never run as a case).
use std.layers

let base_width = 16

block conv_bn(x: tensor, c: int, k: int = 3) -> tensor {
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu
}
