// A repeat inside a block: its tails are memoised per block instance (the frame), and the
// block's result set is what the model branches over. The residual fails on some paths.
use std.layers
block layer(x: tensor) -> tensor {
    return x |> conv2d(choice c [4, 8], kernel = 1) |> relu
}
block stage(x: tensor, c: int) -> tensor {
    let first = x |> conv2d(c, kernel = 3)
    x = first
    repeat 3 { x = layer(x) }
    if choice res bool { x = x + first }
    return x
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    x = stage(x, 4)
    x = stage(x, 8)
    return x |> global_avgpool |> dense(10)
}
