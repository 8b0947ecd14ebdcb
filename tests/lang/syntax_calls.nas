// Calls (§4): positional then keyword arguments, calls as arguments, nested lists.
use std.layers

block calls(x: tensor, c: int) -> tensor {
    x = conv2d(x, c, kernel = 3, stride = 1)
    x = conv2d(x, filters = c)
    x = conv2d(relu(x), c)
    return x
}

let grid = [[1, 2], [3, 4]]
let flat = [1, 2, 3]
