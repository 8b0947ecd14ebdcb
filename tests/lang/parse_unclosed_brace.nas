// A block body that is never closed: the error is at the end of the file, reported just
// after the last token.
use std.layers
block b(x: tensor) -> tensor {
    return relu(x)
// expect: error NAS0201 at 5:19
