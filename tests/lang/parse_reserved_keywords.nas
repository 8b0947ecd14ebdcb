// Every word of the keyword list (§1) is reserved, including the short ones used inside
// declarations (`top`, `ref`, `step`, `log`, `of`, `split`, `when`, `from`, `soft`, `hard`):
// each `let` below is one error at the keyword, and the parser resumes at the next `let`.
let top = 1
// expect: error NAS0201 at 4:5
let ref = 2
// expect: error NAS0201 at 6:5
let step = 3
// expect: error NAS0201 at 8:5
let log = 4
// expect: error NAS0201 at 10:5
let of = 5
// expect: error NAS0201 at 12:5
let split = 6
// expect: error NAS0201 at 14:5
let when = 7
// expect: error NAS0201 at 16:5
let from = 8
// expect: error NAS0201 at 18:5
let soft = 9
// expect: error NAS0201 at 20:5
let hard = 10
// expect: error NAS0201 at 22:5
let fine = 11
