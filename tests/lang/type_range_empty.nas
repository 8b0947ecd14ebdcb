// NAS0406: the lower bound exceeds the upper bound after folding; `1 .. 1` is one value.
let n = 8
let bad = choice n .. 1
// expect: error NAS0406 at 3:11
// expect: note at 3:18
let one = choice 1 .. 1
