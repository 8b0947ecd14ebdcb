// NAS0413: a tensor dimension and a subset size need compile-time constants.
let w = choice [16, 32]
block m(x: tensor[1, w, w]) -> tensor { return x }
// expect: error NAS0413 at 3:22
// expect: error NAS0413 at 3:25
let k = choice [1, 2]
let s = choice k of [1, 2, 3]
// expect: error NAS0413 at 7:16
