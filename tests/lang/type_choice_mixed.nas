// NAS0404: a choice must be homogeneous; ints and floats mix, ints and strings do not.
let fine = choice [1, 2.5]
let bad = choice [16, "wide"]
// expect: error NAS0404 at 3:23
// expect: note at 3:19
let empty = choice []
// expect: error NAS0404 at 6:13
