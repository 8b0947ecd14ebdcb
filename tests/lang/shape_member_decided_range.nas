// NAS0801: a range bound from a width another decision sets (w): a range has one pair of
// bounds in the space, not one per architecture.
use std.layers
let w = choice w [8, 16]
block span(x: tensor) -> tensor {
    return x |> conv2d(choice d x.channels .. 32, kernel = 1)
// expect: error NAS0801 at 6:33
}
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    x = x |> conv2d(w) |> span
    return x |> global_avgpool |> flatten |> dense(10)
}
