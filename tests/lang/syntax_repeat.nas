// `repeat` (§3.5) with a constant count, a constant expression, and a decided count.
use std.layers

let times = 2

block stack(x: tensor, c: int) -> tensor {
    repeat 2 { x = conv2d(x, c) |> relu }
    repeat times + 1 { x = conv2d(x, c) }
    let depth = choice depth [1, 2, 3]
    repeat depth {
        let k = choice kernel [3, 5]
        x = conv2d(x, c, kernel = k) |> relu
    }
    repeat choice 1 .. 4 { x = relu(x) }
    return x
}
