// Nested instances, conditional decisions inside a decided repeat, shared top-level width:
// every architecture builds.
use std.layers
let width = choice width [8, 16]
block unit(x: tensor) -> tensor {
    let k = choice kernel [3, 5]
    let y = x |> conv2d(width, kernel = k) |> batchnorm |> relu
    if choice se bool { y = squeeze_excite(y) }
    return y
}
block stage(x: tensor) -> tensor {
    let n = choice depth [1, 2, 3]
    x = x |> conv2d(width, kernel = 1)
    repeat n { x = x + unit(x) }
    return maxpool(x, 2)
}
model net(x: tensor[3, 16, 16]) -> tensor[10] {
    x = stage(x)
    x = stage(x)
    return x |> global_avgpool |> dense(10)
}
