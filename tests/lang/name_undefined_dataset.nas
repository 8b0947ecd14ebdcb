// NAS0301: an undefined dataset in `data` lists the declared ones.
dataset blobs {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data   moons.train split 90% / 10%
// expect: error NAS0301 at 8:12
// expect: note at 8:12
    trials 30
    max_failed 10
}
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
