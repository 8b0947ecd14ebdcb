// An integer literal too large for 64 bits is an error at the literal.
let n = 99999999999999999999999
// expect: error NAS0106 at 2:9
let f = 1e999
// expect: error NAS0106 at 4:9
let ok = 9223372036854775807
