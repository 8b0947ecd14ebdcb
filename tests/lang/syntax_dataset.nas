// `dataset` (§3.2): an IDX dataset with normalisation, and its two parts.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
    normalize mean(0.2860), std(0.3530)
}

search s {
    data   fashion.train split 90% / 10%
    trials 30
}

train t {
    from s top 3
    data fashion.train / fashion.test
    epochs 2
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
