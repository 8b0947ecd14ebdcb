// Conditional decisions (§5): inside an `if` branch, a `oneof` alternative, a decided `repeat`.
use std.layers

block cond(x: tensor, c: int) -> tensor {
    if choice extra bool {
        let k = choice extra_kernel [3, 5, 7]
        x = conv2d(x, c, kernel = k)
    }
    x = oneof mix [
        conv2d(x, c, kernel = choice inner_k [1, 3]),
        maxpool(x, 3, stride = 1)
    ]
    repeat choice reps 0 .. 3 {
        x = conv2d(x, c, kernel = choice rep_k [3, 5]) |> relu
    }
    return x
}
