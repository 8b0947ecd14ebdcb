// A parameter needs `name: type` (§3.4): the error is at the token after the name.
use std.layers
block b(x, c: int) -> tensor {
    return x
}
// expect: error NAS0201 at 3:10
