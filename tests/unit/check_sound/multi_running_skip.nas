// A running skip beside the chain: s sums a projection of every layer's output (one width
// for all, so the adds build), x is the chain; the projections reach the result through s
// only.
// expect-feasible: exact
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let w = choice w [4, 8]
    x = dense(x, w)
    let s = x
    repeat 5 {
        x = x |> dense(w) |> relu
        if choice more bool { x = x |> dense(w) }
        s = add(s, x |> dense(w))
    }
    return dense(concat([s, x]), 2)
}
