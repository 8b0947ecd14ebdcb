// NAS0401: adding or comparing quantities of different dimensions (§1); a plain number with a time.
let bad_sum = 2ms + 64MB
// expect: error NAS0401 at 2:15
// expect: note at 2:15
// expect: note at 2:21
let bad_cmp = 5s < 1GB
// expect: error NAS0401 at 6:15
let no_unit = 2ms <= 2
// expect: error NAS0401 at 8:15
let fine = 2ms * 3 + 1s
let ratio_ok = 90% < 0.95
