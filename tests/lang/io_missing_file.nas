// An input file that does not exist: NAS0001, exit status 2.
// input: missing
// expect: error NAS0001
// expect-exit: 2
