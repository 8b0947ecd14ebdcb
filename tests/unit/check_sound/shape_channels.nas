// x.channels in a block: the width a caller decides (w, f) sizes layers, steers branches
// (one of them holds a decision of its own) and a residual add; the add after the second
// cell fails exactly when f is 8.
use std.layers
let w = choice w [4, 8, 12]
block cell(x: tensor, filters: int) -> tensor {
    let y = x |> conv2d(x.channels * 2, kernel = 1) |> relu |> conv2d(filters, kernel = 1)
    if x.channels == filters {
        y = y + x
    }
    if x.channels > 4 {
        y = y |> conv2d(y.channels, kernel = choice k [1, 3])
    }
    return y
}
model m(x: tensor[3, 6, 6]) -> tensor[4] {
    x = conv2d(x, w)
    x = cell(x, 8)
    x = cell(x, choice f [8, 12])
    x = x + conv2d(x, 12, kernel = 1)
    return x |> global_avgpool |> dense(4)
}
