// A file without read permission: NAS0001, exit status 2 (skipped when run as root).
// input: unreadable
// expect: error NAS0001
// expect-exit: 2
