// NAS0302: two `let`s of one name in one body (rebinding is `name = expr`, without `let`).
use std.layers
block b(x: tensor) -> tensor {
    let y = relu(x)
    let y = relu(y)
// expect: error NAS0302 at 5:9
    return y
}
