// NAS0418: only a list is indexed, by an int >= 0 (a subset's picks by position; a
// decision as the index is refused where the model is lowered: space_index_decision.nas).
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 2 of [x, dense(x, 8), dense(x, 8)]
    let s = x[0]
    // expect: error NAS0418 at 6:13
    let t = p[-1]
    // expect: error NAS0418 at 8:15
    let u = p[1.5]
    // expect: error NAS0418 at 10:15
    return p[0] |> dense(2)
}
