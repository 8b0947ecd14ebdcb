// NAS0405: range bounds must be numeric; NAS0413: and constant (a decision is not a constant).
let lo = choice [1, 2]
let r1 = choice "a" .. 4
// expect: error NAS0405 at 3:17
let r2 = choice lo .. 8
// expect: error NAS0413 at 5:17
