// NAS0701 (warning): a decision feeds the learning rate, directly or through a let. The
// warning is at the decision, a note at the use.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
let lr = choice [0.01, 0.1]
// expect: warning NAS0701 at 8:10
// expect: note at 15:25
search s {
    data       d.train split 90% / 10%
    trials     30
    max_failed 10
    optimizer  sgd(lr = lr, momentum = 0.9)
    schedule   cosine(warmup = choice [10, 100])
// expect: warning NAS0701 at 16:32
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
