// A quantity is a number immediately followed by its unit (§1): `2 ms` is the number 2 and
// then a name, two expressions side by side, so the error is at `ms`.
let ok = 2ms
let bad = 2 ms
// expect: error NAS0201 at 4:13
