// x.height and x.width (x.shape[1] and x.shape[2]) on a tensor that is not square: a
// [3, 8, 12] input has height 8 and width 12 (every other shape case is square, so a swap of
// the two went unnoticed). Params, by hand: conv 3->8 1x1 (32) + conv 8->12 1x1 (108) +
// conv 12->20 1x1 (260) + dense 20->10 (210) = 610; the graph has the 8 and 12 filters in
// this order.
// args: --sample 1 {file}
// expect-output: params 610 
use std.layers
block b(x: tensor) -> tensor {
    let y = x |> conv2d(x.height, kernel = 1)
    y = y |> conv2d(y.width, kernel = 1)
    return y |> conv2d(y.shape[1] + y.shape[2], kernel = 1)
}
model m(x: tensor[3, 8, 12]) -> tensor[10] {
    return x |> b |> global_avgpool |> dense(10)
}
