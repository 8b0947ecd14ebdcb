// `block` (§3.4): parameters with types and defaults, a pipeline in `return`.
use std.layers

block conv_bn(x: tensor, c: int, k: int = 3) -> tensor {
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu
}

block two(x: tensor, c: int) -> tensor {
    let y = conv_bn(x, c)
    y = conv_bn(y, c, k = 5)
    return conv_bn(y, c, 1)
}
