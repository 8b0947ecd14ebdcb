// NAS0409: `choice k of [...]` needs 1 <= k <= n, and an int k.
let a = choice 4 of [1, 2, 3]
// expect: error NAS0409 at 2:16
let b = choice 0 of [1, 2, 3]
// expect: error NAS0409 at 4:16
let c = choice 1.5 of [1, 2, 3]
// expect: error NAS0409 at 6:16
let ok = choice 3 of [1, 2, 3]
