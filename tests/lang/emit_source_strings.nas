// `--emit=source` writes strings back with their escapes (§1), quantities with their unit as
// written, and keeps non-ASCII text inside strings unchanged.
// args: --emit=source {file}
// expect-output: let q = "say \"hi\"\tand \\ go\n"
// expect-output: let t = 250us
// expect-output: let r = 12.5%
// expect-output: let u = "données"
// expect-exit: 0
let q = "say \"hi\"\tand \\ go\n"
let t = 250us
let r = 12.5%
let u = "données"
