// NAS0606: `split a / b` needs two percents, each > 0, summing to 100%.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s1 {
    data   d.train split 90% / 20%
// expect: error NAS0606 at 8:26
    trials 30
    max_failed 10
}
search s2 {
    data   d.train split 0.9 / 0.1
// expect: error NAS0606 at 14:26
    trials 30
    max_failed 10
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
