// `else` must follow the `}` of an `if` (§3.5).
use std.layers
block b(x: tensor) -> tensor {
    else { x = relu(x) }
// expect: error NAS0201 at 4:5
    return x
}
