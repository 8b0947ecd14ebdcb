// NAS0304: `name = expr` rebinds; it never declares.
use std.layers
block b(x: tensor) -> tensor {
    y = relu(x)
// expect: error NAS0304 at 4:5
    return x
}
