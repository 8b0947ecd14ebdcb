// Every architecture type- and shape-checks: decided widths, kernels, depths and a oneof
// head, with a residual that always matches (a 1x1 projection to the same width).
use std.layers
model net(x: tensor[1, 12, 12]) -> tensor[5] {
    let c = choice width [4, 8]
    let y = conv2d(x, c, kernel = choice kernel [1, 3, 5])
    repeat choice depth 0 .. 2 { y = conv2d(y, c) |> relu }
    x = y + conv2d(x, c, kernel = 1)
    x = oneof [global_avgpool(x), x |> maxpool(2) |> flatten]
    return dense(x, 5)
}
