// NAS0411: constant folding finds a division by zero (ints and floats).
let zero = 0
let a = 10 / zero
// expect: error NAS0411 at 3:9
let b = 1.5 / (zero * 2)
// expect: error NAS0411 at 5:9
