// An empty file is a valid program with no declarations (§3: file := { decl }).
// input: empty
// expect-no-diagnostics
// expect-exit: 0
