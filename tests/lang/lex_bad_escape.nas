// Only \" \\ \n \t are escapes (§1); the error points at the backslash.
let s = "tab\tok but \q is not"
// expect: error NAS0103 at 2:22
