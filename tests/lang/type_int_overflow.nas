// NAS0412: a constant int expression overflows int64 after folding.
let big = 9_000_000_000_000_000_000 / 10
let a = big * 100
// expect: error NAS0412 at 3:9
let b = big * 10 + big * 10
// expect: error NAS0412 at 5:9
