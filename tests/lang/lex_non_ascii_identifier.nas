// Non-ASCII bytes are allowed only inside strings and comments (§1): é in a name is an error.
let café = 1
// expect: error NAS0101 at 2:8
let ok = "café"   // and here: é
