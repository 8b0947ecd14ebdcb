// Pipelines (§4): `x |> f(a)` is `f(x, a)`, `x |> f` is `f(x)`; a decision over callables.
use std.layers

block pipes(x: tensor, c: int) -> tensor {
    let y = x |> conv2d(c, kernel = 3) |> batchnorm |> relu
    y = y |> choice op [conv2d(c, kernel = 3), maxpool(3, stride = 1), identity]
    y = y |> choice act [relu, sigmoid]
    return y |> conv2d(c, kernel = 1)
}
