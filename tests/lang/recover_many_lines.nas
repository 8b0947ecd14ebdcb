// Ten broken lets in a row: ten errors, one per line, nothing more.
let a1 = )
let a2 = )
let a3 = )
let a4 = )
let a5 = )
let a6 = )
let a7 = )
let a8 = )
let a9 = )
let a10 = )
let ok = 1
// expect: error NAS0201 at 2:10
// expect: error NAS0201 at 3:10
// expect: error NAS0201 at 4:10
// expect: error NAS0201 at 5:10
// expect: error NAS0201 at 6:10
// expect: error NAS0201 at 7:10
// expect: error NAS0201 at 8:10
// expect: error NAS0201 at 9:10
// expect: error NAS0201 at 10:10
// expect: error NAS0201 at 11:11
