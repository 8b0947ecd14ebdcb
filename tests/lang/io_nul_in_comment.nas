// A NUL byte, even inside a comment, makes the file not text (NAS0002 at the NUL).
// input-bytes: b"let a = 1\nlet b = 2 // x\x00y\n"
// expect: error NAS0002 at 2:15
