// input-bytes: b"// CRLF line endings are whitespace like LF.\r\nlet a = 1\r\nlet b = a + 2\r\n"
// expect-no-diagnostics
