// NAS0612: a decided training value is checked value by value, where it is written: a
// batch of 0 or a learning rate of 0 would fail every trial that draws it.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
let bs = choice batch [0, 32]
// expect: error NAS0612 at 8:24
// expect: warning NAS0701 at 8:10
search s {
    data   d.train split 90% / 10%
    trials 30
    max_failed 10
    batch  bs
    epochs choice 0 .. 3
// expect: error NAS0612 at 16:19
// expect: warning NAS0701 at 16:12
    optimizer adam(lr = choice [0.0, 0.01], weight_decay = choice [-0.1, 0.0])
// expect: error NAS0612 at 19:33
// expect: error NAS0612 at 19:68
// expect: warning NAS0701 at 19:25
// expect: warning NAS0701 at 19:60
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
