// NAS0408: a range step must be positive.
let w = choice 16 .. 64 step 0
// expect: error NAS0408 at 2:30
let v = choice 16 .. 64 step -8
// expect: error NAS0408 at 4:30
// In a log range the step is the factor between neighbouring values: it must be > 1 (it used
// to be "this decision cannot be added to the space: invalid argument").
let g = choice 1e-4 .. 1e-1 step 1 log
// expect: error NAS0408 at 8:34
let h = choice 1.0 .. 8.0 step 0.5 log
// expect: error NAS0408 at 10:32
