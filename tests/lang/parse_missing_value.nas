// A `let` with no expression: the error is at the token where an expression should start.
let a = 1
let b =
let c = 3
// expect: error NAS0201 at 4:1
