// NAS0302: two top-level declarations with one name (datasets and blocks share a namespace).
use std.layers
let width = 16
let width = 32
// expect: error NAS0302 at 4:5
// expect: note at 3:5
dataset d { format synthetic(n = 10, seed = 1) input [4] classes 2 }
block d(x: tensor) -> tensor { return x }
// expect: error NAS0302 at 8:7
