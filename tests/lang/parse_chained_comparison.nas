// Comparisons do not associate (§4, level 5): `a < b < c` is a syntax error at the second `<`.
let a = 1
let b = 2
let c = a < b < 3
// expect: error NAS0201 at 4:15
