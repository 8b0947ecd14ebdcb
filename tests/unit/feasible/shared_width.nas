// A top-level width read inside every cell (a shared decision: the instances are walked per
// its value) and training decisions (shared too).
// expect-feasible: exact
use std.layers
let width = choice width [4, 8]
block cell(x: tensor) -> tensor {
    let y = x |> conv2d(width, kernel = choice k [1, 3, 5]) |> relu
    if choice se bool { y = squeeze_excite(y) }
    return y
}
model net(x: tensor[3, 8, 8]) -> tensor[4] {
    x = cell(x)
    x = cell(x)
    x = cell(x)
    return x |> global_avgpool |> dense(4)
}
