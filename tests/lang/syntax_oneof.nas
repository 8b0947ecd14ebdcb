// `oneof [...]` (§5): choose one sub-graph; decisions inside the others do not exist.
use std.layers

block head(x: tensor, c: int) -> tensor {
    x = oneof [global_avgpool(x), flatten(x)]
    return dense(x, c)
}

block body(x: tensor, c: int) -> tensor {
    return oneof [
        conv2d(x, c, kernel = choice [3, 5]),
        x |> conv2d(c, kernel = 1) |> relu,
        x
    ]
}
