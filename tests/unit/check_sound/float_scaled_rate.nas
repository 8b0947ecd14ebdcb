// A rate computed from the decision (2 x d, up to 1.2) goes out of dropout's range inside the
// decision's range: the check must report it (the top end fails) and not call it a proof.
// expect-proof: no
use std.layers
model net(x: tensor[16]) -> tensor[3] {
    let d = choice d 0.1 .. 0.6
    return x |> dropout(2.0 * d) |> dense(3)
}
