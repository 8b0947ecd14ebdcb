// NAS0307: top-level lets may appear in any order but cannot depend on themselves.
let a = b + 1
let b = c * 2
let c = a
// expect: error NAS0307 at 4:9
// expect: note at 2:5
let ok = later + 1
let later = 2
