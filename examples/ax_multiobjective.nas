// examples/ax_multiobjective.nas — the space of Ax's multi-objective NAS tutorial
// ("Multi-Objective NAS with Ax", an MLP on MNIST; Fashion-MNIST here, the dataset this
// project ships): two hidden layers with int sizes 16..128 on a log scale, dropout 0..0.5,
// and the training values as decisions of the same space — learning rate 1e-4..1e-2 (log),
// epochs 1..4, batch size 32, 64, 128 or 256. Each trial trains with its own values
// (warning NAS0701: on purpose, this space tunes hyperparameters with the architecture).
// Objectives: maximize accuracy (at least 0.94) and minimize parameters (at most 80,000);
// 48 trials, 4 at a time.
use std.layers

dataset fashion {
    format    idx
    path      "/usr/share/datasets/fashion-mnist"
    input     [1, 28, 28]
    classes   10
    normalize mean(0.2860), std(0.3530)
}

let hidden1 = choice hidden_size_1 16 .. 128 log
let hidden2 = choice hidden_size_2 16 .. 128 log
let rate    = choice dropout 0.0 .. 0.5

model mlp(x: tensor[1, 28, 28]) -> tensor[10] {
    x = x |> flatten |> dense(hidden1) |> relu |> dropout(rate)
    x = x |> dense(hidden2) |> relu |> dropout(rate)
    return dense(x, 10)
}

reward {
    maximize accuracy ref 0.94
    minimize params ref 80K
    subject to accuracy >= 0.94
    subject to params <= 80K
}

controller {
    algorithm sobol
    seed      0
}

search tutorial {
    data       fashion.train split 90% / 10%
    trials     48
    parallel   4
    max_failed 16
    epochs     choice epochs 1 .. 4
    batch      choice batch_size [32, 64, 128, 256]
    optimizer  adam(lr = choice lr 1e-4 .. 1e-2 log)
}
