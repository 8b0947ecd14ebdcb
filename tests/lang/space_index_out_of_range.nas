// NAS0801: a subset of k picks has indices 0 .. k-1; the list's length is known when the
// model is lowered, which reports the index at its place (integ's one l[i]: NAS0418 only for
// a list literal, which sema sees).
// expect-stderr: index 2 is outside this list of 2 (in this instance)
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 2 of [x, dense(x, 8), dense(x, 8)]
    return p[2] |> dense(2)
    // expect: error NAS0801 at 8:14
}
