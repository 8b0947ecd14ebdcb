// An unknown unit suffix is an error at the suffix (§1): `2m` is not `2ms` or `2min`.
let a = 2m
// expect: error NAS0105 at 2:10
let b = 64mb
// expect: error NAS0105 at 4:11
