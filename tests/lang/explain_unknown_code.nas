// An unknown code is a usage error: a message on stderr, exit status 2, nothing on stdout.
// args: --explain NAS9999
// expect-stderr: NAS9999
// expect-exit: 2
