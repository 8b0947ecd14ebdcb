// A lexical error and a syntax error in the same file are both reported, once each.
let t = 5q
// expect: error NAS0105 at 2:10
let u = (1 + 2
let v = 3
// expect: error NAS0201 at 5:1
