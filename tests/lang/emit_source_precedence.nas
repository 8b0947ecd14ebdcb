// `--emit=source` keeps exactly the parentheses the precedence table (§4) needs: the printed
// expression must mean the same as the original.
// args: --emit=source {file}
// expect-output: let a = 1 - (2 - 3)
// expect-output: let b = 1 - 2 - 3
// expect-output: let c = (true or false) and true
// expect-output: let d = not 1 == 2
// expect-output: let e = -(1 + 2)
// expect-output: let f = (1 < 2) == (2 < 3)
// expect-output: let g = 8 / (4 / 2)
// expect-output: let h = 2 * -3
// expect-exit: 0
let a = 1 - (2 - 3)
let b = (1 - 2) - 3
let c = (true or false) and true
let d = not (1 == 2)
let e = -(1 + 2)
let f = (1 < 2) == (2 < 3)
let g = 8 / (4 / 2)
let h = 2 * (-3)
