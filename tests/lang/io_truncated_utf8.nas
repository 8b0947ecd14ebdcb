// A UTF-8 sequence cut short at the end of the file (E2 82 without its last byte; NAS0002).
// input-bytes: b"let s = 1 // \xe2\x82"
// expect: error NAS0002 at 1:14
