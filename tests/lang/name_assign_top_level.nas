// NAS0305: a top-level declaration cannot be rebound inside a block.
use std.layers
let width = 16
block b(x: tensor) -> tensor {
    width = 32
// expect: error NAS0305 at 5:5
    return conv2d(x, width)
}
