// NAS0418 / NAS0413: only a list is indexed, by a constant int >= 0 (a subset's picks by
// position, never by a decision).
use std.layers
let n = choice nn [0, 1]
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 2 of [x, dense(x, 8), dense(x, 8)]
    let r = p[n]
    // expect: error NAS0413 at 7:15
    let s = x[0]
    // expect: error NAS0418 at 9:13
    let t = p[-1]
    // expect: error NAS0418 at 11:15
    let u = p[1.5]
    // expect: error NAS0418 at 13:15
    return p[0] |> dense(2)
}
