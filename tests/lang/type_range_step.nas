// NAS0408: a range step must be positive.
let w = choice 16 .. 64 step 0
// expect: error NAS0408 at 2:30
let v = choice 16 .. 64 step -8
// expect: error NAS0408 at 4:30
