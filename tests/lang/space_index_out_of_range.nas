// NAS0418: a subset of k picks has indices 0 .. k-1; the list's length is known when the
// model is lowered, which reports the index at its place.
// expect-stderr: index 2 is out of range: the list has 2 elements
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 2 of [x, dense(x, 8), dense(x, 8)]
    return p[2] |> dense(2)
    // expect: error NAS0418 at 7:14
}
