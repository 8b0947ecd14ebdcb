// x.channels after a tensor differs by a decision: a decided `if` (8 or 16 channels), a
// decided `repeat` (4, 8 or 16: doubled per iteration) and a `oneof` (4 or 12). Each later
// branch holds a decision that exists only where the width passes its test, so the count
// is 3 (wide: k only when true) x 4 (n = 0, 1, 2; j only at 16) x 3 (op: d only with 12).
use std.layers
block by_if(x: tensor) -> tensor {
    if choice wide bool {
        x = conv2d(x, 16, kernel = 1)
    } else {
        x = conv2d(x, 8, kernel = 1)
    }
    if x.channels == 16 {
        x = conv2d(x, 4, kernel = choice k [1, 3])
    }
    return x
}
block by_repeat(x: tensor) -> tensor {
    x = conv2d(x, 4, kernel = 1)
    repeat choice n 0 .. 2 {
        x = conv2d(x, x.channels * 2, kernel = 1)
    }
    if x.channels > 8 {
        x = conv2d(x, 4, kernel = 1, bias = choice j bool)
    }
    return x
}
block by_oneof(x: tensor) -> tensor {
    x = oneof op [conv2d(x, 4, kernel = 1), conv2d(x, 12, kernel = 1)]
    if x.channels > 8 {
        x = conv2d(x, 4, kernel = 1, bias = choice d bool)
    }
    return x
}
model m(x: tensor[3, 8, 8]) -> tensor[10] {
    let a = x |> by_if |> global_avgpool
    let b = x |> by_repeat |> global_avgpool
    let c = x |> by_oneof |> global_avgpool
    return concat([a, b, c]) |> flatten |> dense(10)
}
// expect-output: 36 architectures
