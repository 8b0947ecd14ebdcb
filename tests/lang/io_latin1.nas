// A file saved as Latin-1: the é of "café" in a comment is byte 0xE9, invalid UTF-8 (NAS0002).
// input-bytes: b"let a = 1\n// caf\xe9 au lait\nlet b = 2\n"
// expect: error NAS0002 at 2:7
