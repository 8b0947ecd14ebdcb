// Layer calls are checked against stdlib/layers.nas (§6): conv2d needs `filters`, relu takes
// nothing but its input, and maxpool has no `kernel` (its window is `size`).
use std.layers
block b(x: tensor) -> tensor {
    x = conv2d(x)
// expect: error NAS0502 at 5:9
    x = x |> relu(3)
// expect: error NAS0503 at 7:19
    return maxpool(x, kernel = 2)
// expect: error NAS0501 at 9:23
}
