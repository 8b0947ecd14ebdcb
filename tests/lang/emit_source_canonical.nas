// `--emit=source` prints the file back in canonical form: comments dropped, one declaration
// per line group, the `;` separators gone, parentheses kept where precedence needs them.
// args: --emit=source {file}
// expect-output: let a = (1 + 2) * 3
// expect-output: let b = 1 + 2 * 3
// expect-exit: 0
let a = (1+2)*3 ; let b = 1 + (2 * 3)   // the redundant parentheses go
