// `--explain` also takes the bare number (diag.h: "NAS0101" or "0101").
// args: --explain 0001
// expect-output: NAS0001
// expect-output: could not be opened or read
// expect-exit: 0
