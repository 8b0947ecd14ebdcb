// `choice k of [...]` (§5): a subset of exactly k elements, e.g. skip inputs; `inputs[1]` is
// the second pick.
use std.layers

block merge(x: tensor, c: int) -> tensor {
    let a = conv2d(x, c)
    let b = conv2d(a, c)
    let d = conv2d(b, c)
    let inputs = choice skips 2 of [x, a, b]
    return conv2d(concat(inputs), c) + conv2d(inputs[1], c) + d
}
