// Nested repeats in a block called from a repeat, every architecture building: the tails of
// three loops compose in the static check and in the feasible-set DP.
// expect-feasible: exact
use std.layers
block stage(x: tensor) -> tensor {
    repeat 2 {
        repeat 2 { x = x |> conv2d(choice c [4, 8], kernel = 1) }
        x = x |> relu
    }
    if choice down bool { x = x |> maxpool(2) }
    return x
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    repeat 2 { x = stage(x) }
    return x |> global_avgpool |> dense(10)
}
