// NAS0612: `top` and `max_failed` cannot be more than the search's trials.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data   d.train split 90% / 10%
    trials 40
    max_failed 50
// expect: error NAS0612 at 10:16
// expect: note at 9:12
}
train t {
    from s top 100
// expect: error NAS0612 at 15:16
// expect: note at 9:12
    data d.train / d.test
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
