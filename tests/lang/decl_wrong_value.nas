// NAS0604: a setting value of the wrong type: a string for a count, a time without unit.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data       d.train split 90% / 10%
    trials     30
    max_failed 10
    epochs     "ten"
// expect: error NAS0604 at 11:16
    time_limit 5
// expect: error NAS0604 at 13:16
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
