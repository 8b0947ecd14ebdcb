// A block comment that never closes; nesting means the inner `*/` closes only the inner one.
let a = 1
/* outer /* inner */ still open
// expect: error NAS0104 at 3:1
