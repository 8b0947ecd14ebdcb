// The body of `repeat` is a braced statement list (§3.5).
use std.layers
block b(x: tensor) -> tensor {
    repeat 2 x = relu(x)
// expect: error NAS0201 at 4:14
    return x
}
