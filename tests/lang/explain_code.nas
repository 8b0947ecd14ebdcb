// `nasc --explain NAS0002` prints the code's paragraph and exits 0 (§6).
// args: --explain NAS0002
// expect-output: NAS0002
// expect-output: must be UTF-8 text
// expect-exit: 0
