// NAS0801: a choice's values come from a width another decision sets: the space has one
// set of values per choice, so the domain cannot follow it.
use std.layers
let w = choice w [8, 16]
block pick(x: tensor) -> tensor {
    let c = choice c [x.channels, x.channels * 2]
// expect: error NAS0801 at 6:23
    return x |> conv2d(c, kernel = 1)
}
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    x = x |> conv2d(w) |> pick
    return x |> global_avgpool |> flatten |> dense(10)
}
