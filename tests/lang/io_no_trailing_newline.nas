// The last line has no newline; the file still parses.
// input-bytes: b"let a = 1\nlet b = 2"
// expect-no-diagnostics
