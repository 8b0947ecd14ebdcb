// `train` (§3.10): stage 2 takes the top architectures of stage 1.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}

search stage1 {
    data   fashion.train split 90% / 10%
    trials 60
    max_failed 20
}

train stage2 {
    from     stage1 top 10
    data     fashion.train / fashion.test
    epochs   30
    batch    256
    optimizer sgd(lr = 0.1, momentum = 0.9)
    schedule  cosine(warmup = 500)
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
