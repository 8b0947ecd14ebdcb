// NAS0414: rebinding a tensor variable to an int, returning an int where a tensor is declared,
// and a default value of the wrong type.
use std.layers
block b(x: tensor, c: int = "eight") -> tensor {
// expect: error NAS0414 at 4:29
    x = 3
// expect: error NAS0414 at 6:9
    return 42
// expect: error NAS0414 at 8:12
}
