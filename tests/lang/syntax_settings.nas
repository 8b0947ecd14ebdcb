// Settings (§3.1): one value, a list of values, `name when expr`, `expr split a / b`.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}

reward {
    maximize accuracy
    report params, flops, memory, latency
}

controller {
    algorithm evolution(population = 16, sample = 4)
    seed 7
}

search s {
    data      fashion.train split 80% / 20%
    trials    90
    max_failed 30
    stop when converged(window = 20) or failed > 20%
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
