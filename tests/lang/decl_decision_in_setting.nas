// Decisions may set training values (epochs, batch, clip_norm, optimizer and schedule
// numbers): they become decisions of the space (with warning NAS0701). Anywhere else a
// decision is refused (NAS0413), never silently dropped.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
controller {
    algorithm evolution(population = choice [8, 16])
// expect: error NAS0413 at 10:38
// expect: note at 10:38
}
search s {
    data   d.train split 90% / 10%
    trials choice [30, 60]
// expect: error NAS0413 at 16:12
    max_failed 10
    batch  choice batch [32, 64]
// expect: warning NAS0701 at 19:12
// expect: note at 19:12
    optimizer sgd(lr = 0.1, nesterov = choice bool)
// expect: error NAS0413 at 22:40
// expect: warning NAS0701 at 22:40
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
