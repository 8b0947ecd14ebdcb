// Statements (§3.5): let, rebinding a parameter and an earlier let, return.
use std.layers

block body(x: tensor, c: int) -> tensor {
    let y = conv2d(x, c)
    let z = y
    y = relu(y)
    x = y + z
    return x
}
