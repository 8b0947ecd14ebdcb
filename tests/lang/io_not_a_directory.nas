// A path through a regular file (`file.nas/x.nas`, ENOTDIR): NAS0001, exit status 2.
// input: not-a-directory
// expect: error NAS0001
// expect-exit: 2
