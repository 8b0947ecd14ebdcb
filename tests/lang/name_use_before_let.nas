// NAS0308: in a body, a `let` is visible only after it (top level is order-free).
use std.layers
block b(x: tensor) -> tensor {
    x = conv2d(x, width)
// expect: error NAS0308 at 4:19
// expect: note at 7:9
    let width = 16
    return x
}
