// space_model case: per-instance decisions, an `if` and a `oneof` over decisions, a decided repeat.
use std.layers

block cell(x: tensor, c: int) -> tensor {
    let k = choice kernel [3, 5]
    return x |> conv2d(c, kernel = k) |> relu
}

model net(x: tensor[1, 28, 28]) -> tensor[10] {
    let w = choice width [16, 32, 64]
    x = cell(x, w)
    if w > 16 {
        x = x |> choice act [relu, sigmoid]
    }
    x = oneof [
        cell(x, 8),
        conv2d(x, w, kernel = choice k2 [1, 3]),
        identity(x)
    ]
    repeat choice depth 1 .. 3 {
        x = cell(x, 16)
    }
    return x |> flatten |> dense(10)
}
