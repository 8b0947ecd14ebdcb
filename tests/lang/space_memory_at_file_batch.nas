// The training-memory estimate uses the search's batch and optimizer, not fixed ones.
// expect-output: at batch 32, Adam (exact)
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data      d.train split 90% / 10%
    trials    30
    max_failed 10
    batch     32
    optimizer adam(lr = 0.001)
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return x |> dense(choice w [8, 16]) |> relu |> dense(2) }
