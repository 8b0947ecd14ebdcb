// NAS0612: right type, impossible magnitude: zero classes, zero epochs, a negative seed.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 0
// expect: error NAS0612 at 5:13
}
search s {
    data   d.train split 90% / 10%
    trials 30
    max_failed 10
    epochs 0
// expect: error NAS0612 at 12:12
}
controller {
    algorithm random
    seed -1
// expect: error NAS0612 at 17:10
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
