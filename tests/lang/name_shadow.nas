// NAS0303 (warning): a `let` hides a top-level declaration; the program still compiles.
use std.layers
let width = 16
block b(x: tensor) -> tensor {
    let width = 32
// expect: warning NAS0303 at 5:9
// expect: note at 3:5
    return conv2d(x, width)
}
