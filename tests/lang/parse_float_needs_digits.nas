// A digit is required on both sides of the dot (§1): `.5` is not a float.
let a = .5
// expect: error NAS0201 at 2:9
