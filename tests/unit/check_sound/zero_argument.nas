// `zero` passed into a block with a second, non-zero argument: the layer inside that reads only
// the zero argument is a node reading only zero. The instance must be checked apart for a zero
// argument (its memo key), or the lint is missed.
use std.layers
block mix(a: tensor, b: tensor) -> tensor {
    let y = a |> conv2d(4, kernel = 1)
    return y + b
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    let a = x |> choice op [conv2d(4, kernel = 3), zero]
    return mix(a, x) |> global_avgpool |> dense(10)
}
