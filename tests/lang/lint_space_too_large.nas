// NAS0703 (warning): more than 10^20 architectures. 25 blocks of 7 independent 10-way
// choices each give 10^175; the warning is at the model.
use std.layers
block cell(x: tensor) -> tensor {
    let a = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let b = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let c = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let d = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let e = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let f = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let g = choice [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    return conv2d(x, a + b + c + d + e + f + g, kernel = 1)
}
model net(x: tensor[1, 8, 8]) -> tensor[10] {
// expect: warning NAS0703 at 14:7
    repeat 25 { x = cell(x) }
    return x |> global_avgpool |> dense(10)
}
