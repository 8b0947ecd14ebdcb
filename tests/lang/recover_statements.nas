// Recovery inside one body: each bad statement is reported once and the next one parses.
use std.layers
block b(x: tensor, c: int) -> tensor {
    let y = conv2d(x, c) )
// expect: error NAS0201 at 4:26
    let z = = relu(y)
// expect: error NAS0201 at 6:13
    return z
}
