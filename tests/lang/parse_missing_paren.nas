// A call whose argument list is not closed before the next statement.
use std.layers
block b(x: tensor) -> tensor {
    let y = conv2d(x, 16
    return y
// expect: error NAS0201 at 5:5
}
