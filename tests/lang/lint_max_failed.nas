// NAS0702 (warning): max_failed below 20% or above 50% of trials; 33% is silent.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search low {
    data       d.train split 90% / 10%
    trials     100
    max_failed 5
// expect: warning NAS0702 at 10:16
}
search high {
    data       d.train split 90% / 10%
    trials     100
    max_failed 90
// expect: warning NAS0702 at 16:16
}
search fine {
    data       d.train split 90% / 10%
    trials     99
    max_failed 33
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
