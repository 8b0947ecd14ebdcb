// Characters outside the language (§1) are an error at the character, reported once each.
let a = @1
// expect: error NAS0101 at 2:9
let b = 2 #
// expect: error NAS0101 at 4:11
