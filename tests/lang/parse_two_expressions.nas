// Two expressions never stand side by side (§1), so `1 2` in a value is an error at the second.
let a = [1 2]
// expect: error NAS0201 at 2:12
