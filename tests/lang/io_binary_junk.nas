// Binary data: the first NUL byte is at line 1, column 5 (NAS0002).
// input-bytes: b"\x7fELF\x00\x01\x02\xff\xfe\x00junk\n"
// expect: error NAS0002 at 1:5
