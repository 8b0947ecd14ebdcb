// Recovery: one syntax error in each of three declarations, each reported once, no cascade;
// the good declarations between them still parse (§6, parse.h).
let a = 1 +
// expect: error NAS0201 at 5:1
let b = 2
controller {
    algorithm random
    seed ]
// expect: error NAS0201 at 8:10
}
let c = a + b
block f(x: tensor) -> tensor {
    return x |> |> x
// expect: error NAS0201 at 13:17
}
let d = c * 2
