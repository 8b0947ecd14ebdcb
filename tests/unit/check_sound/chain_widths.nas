// A chain of 7 layers, each choosing its width: the static check walks the repeat as loop
// tails (iterations k..6 memoised by the carried tensor's shape), not the 4^7 paths.
// expect-feasible: exact
use std.layers
block layer(x: tensor) -> tensor {
    let c = choice c [1, 2, 3, 4]
    return x |> dense(c * 4) |> relu
}
model net(x: tensor[8]) -> tensor[2] {
    repeat 7 { x = layer(x) }
    return dense(x, 2)
}
