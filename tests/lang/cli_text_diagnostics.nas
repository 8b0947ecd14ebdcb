// The text format (diag.h): `file:line:col: error[NASxxxx]: message`, then the source line
// and a caret; no colour when stderr is not a terminal (the runner rejects ANSI escapes).
// args: {file}
// expect-stderr: cli_text_diagnostics.nas:7:10: error[NAS
// expect-stderr: 7 | let a = 2m
// expect-exit: 1
let a = 2m
