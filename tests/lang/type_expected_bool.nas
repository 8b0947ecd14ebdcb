// NAS0403: numbers are not truthy (`if n`), and `and`/`not` need bools.
use std.layers
let n = 3
let a = n and true
// expect: error NAS0403 at 4:9
let b = not 1
// expect: error NAS0403 at 6:13
block f(x: tensor) -> tensor {
    if n { x = relu(x) }
// expect: error NAS0403 at 9:8
    return x
}
