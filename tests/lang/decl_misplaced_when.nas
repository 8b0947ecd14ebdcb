// NAS0607: only `stop when` (search) and `keep when` (proxy) take `when`.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data   d.train split 90% / 10%
    trials when true
// expect: error NAS0607 at 9:5
    max_failed 10
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
