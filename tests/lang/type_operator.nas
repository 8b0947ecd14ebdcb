// NAS0402: arithmetic on strings and bools, `==` across kinds, unary minus on a string.
let a = "x" + "y"
// expect: error NAS0402 at 2:9
let b = true * 2
// expect: error NAS0402 at 4:9
let c = 1 == "one"
// expect: error NAS0402 at 6:9
let d = -"s"
// expect: error NAS0402 at 8:9
