// NAS0410: a repeat count must be an int >= 0 or a decision over ints.
use std.layers
block b(x: tensor) -> tensor {
    repeat -1 { x = relu(x) }
// expect: error NAS0410 at 4:12
    repeat 2.5 { x = relu(x) }
// expect: error NAS0410 at 6:12
    repeat choice ["a", "b"] { x = relu(x) }
// expect: error NAS0410 at 8:12
    repeat 0 { x = relu(x) }
    return x
}
