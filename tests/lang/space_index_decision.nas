// NAS0801: a subset's picks are indexed by position, never by a decision (the index would
// pick a different tensor per architecture).
// expect-stderr: an index cannot depend on a decision
use std.layers
let n = choice nn [0, 1]
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 2 of [x, dense(x, 8), dense(x, 8)]
    return p[n] |> dense(2)
    // expect: error NAS0801 at 8:14
}
