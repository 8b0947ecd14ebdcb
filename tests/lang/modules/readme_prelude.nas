// modules/readme_prelude.nas — what the README's condensed example leaves out; the test
// lang.readme_example prepends this file to the README's ```nas block and compiles the result.
use std.layers

dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}

block conv_bn(x: tensor, c: int, k: int) -> tensor {
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu
}
