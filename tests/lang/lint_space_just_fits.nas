// No NAS0703: 10^20 exactly is not over the limit (20 independent 10-way choices).
use std.layers
block cell(x: tensor) -> tensor {
    let a = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let b = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    return conv2d(x, a + b, kernel = 1)
}
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    repeat 10 { x = cell(x) }
    return x |> global_avgpool |> dense(10)
}
