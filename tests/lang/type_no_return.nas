// NAS0415: a block must `return` the value it builds.
use std.layers
block b(x: tensor) -> tensor {
    let y = relu(x)
}
// expect: error NAS0415 at 3:7
