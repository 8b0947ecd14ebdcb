// A string must close on its own line (§1).
let a = 1
let s = "no end
// expect: error NAS0102 at 3:9
let b = 2
