// A decided repeat of pooling: 16x16 halves per iteration; five poolings leave nothing.
use std.layers
model net(x: tensor[4, 16, 16]) -> tensor[10] {
    let depth = choice depth 1 .. 5
    repeat depth { x = x |> conv2d(4) |> maxpool(2) }
    return x |> flatten |> dense(10)
}
