// An overlong UTF-8 encoding of '/' (C0 AF) is not valid UTF-8 (NAS0002).
// input-bytes: b"let s = \"a\xc0\xafb\"\n"
// expect: error NAS0002 at 1:11
