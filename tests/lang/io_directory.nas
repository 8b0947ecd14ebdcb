// A directory given as the input file: NAS0001, exit status 2.
// input: directory
// expect: error NAS0001
// expect-exit: 2
