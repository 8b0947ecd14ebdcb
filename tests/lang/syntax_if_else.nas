// `if` / `else` / `else if` chains (§3.5), with decided and constant conditions.
use std.layers

let deep = true

block branchy(x: tensor, c: int) -> tensor {
    if choice skip bool {
        x = x + conv2d(x, c, kernel = 1)
    }
    if deep {
        x = relu(x)
    } else {
        x = sigmoid(x)
    }
    let mode = choice mode ["a", "b", "c"]
    if mode == "a" {
        x = conv2d(x, c, kernel = 3)
    } else if mode == "b" {
        x = conv2d(x, c, kernel = 5)
    } else {
        x = identity(x)
    }
    return x
}
