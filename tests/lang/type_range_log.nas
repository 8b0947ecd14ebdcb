// NAS0407: a log range needs a positive lower bound.
let lr = choice 0.0 .. 0.1 log
// expect: error NAS0407 at 2:17
let ok = choice 1e-5 .. 1e-1 log
