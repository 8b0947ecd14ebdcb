// A byte-order mark anywhere but the first byte is a stray non-ASCII character.
// input-bytes: b"let a = 1\n\xef\xbb\xbflet b = 2\n"
// expect: error NAS0101 at 2:1
