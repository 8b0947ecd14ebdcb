// NAS0301: an undefined name, at the name; a note suggests a close one.
use std.layers
let width = 16
block b(x: tensor) -> tensor {
    return conv2d(x, widht)
// expect: error NAS0301 at 5:22
// expect: note at 5:22
}
let t = no_such_thing + 1
// expect: error NAS0301 at 9:9
