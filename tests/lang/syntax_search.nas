// `search` (§3.9): every setting of stage 1 in the reference.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}

search stage1 {
    data       fashion.train split 90% / 10%
    epochs     1
    batch      256
    optimizer  sgd(lr = 0.1, momentum = 0.9)
    schedule   cosine(warmup = 100)
    trials     400
    parallel   2
    max_failed 133
    stop when  converged(window = 100) or failed > 20%
    time_limit 2h
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
