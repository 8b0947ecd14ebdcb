// examples/tiny.nas — the smallest search: the width and depth of an MLP on synthetic data.
// Runs in seconds; start here. `nasc examples/tiny.nas` checks it, `nasrun` searches it.
use std.layers

dataset blobs {
    format  synthetic(n = 2000, seed = 1)   // generated on the fly: no files needed
    input   [16]
    classes 4
}

// A hidden layer: dense, then relu.
block hidden(x: tensor, width: int) -> tensor {
    return x |> dense(width) |> relu
}

model mlp(x: tensor[16]) -> tensor[4] {
    let width = choice width [16, 32, 64]   // shared by every hidden layer
    let depth = choice depth 1 .. 3         // an integer range, inclusive
    repeat depth { x = hidden(x, width) }
    return dense(x, 4)
}

reward {
    maximize accuracy
}

controller {
    algorithm random
    seed      1
}

search quick {
    data       blobs.train split 80% / 20%
    epochs     3
    batch      64
    optimizer  sgd(lr = 0.1, momentum = 0.9)
    trials     9                // the space holds 9 architectures: try each once
    max_failed 3
}
