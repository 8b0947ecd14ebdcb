// `tune` (§3.13): the decisions of its training settings are its own space, searched for the
// best of a search or a train; they are not architecture decisions, so no NAS0701 here.
// expect-no-diagnostics
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
model net(x: tensor[4]) -> tensor[2] { return x |> dense(choice w [2, 4]) |> dense(2) }
search s {
    data   d.train split 90% / 10%
    trials 10
}
train full {
    from s top 2
    data d.train / d.test
}
tune hp {
    from      full top 2
    data      d.train split 90% / 10%
    optimizer sgd(lr = choice lr 1e-3 .. 1.0 log, momentum = 0.9, weight_decay = choice wd [0.0, 1e-4, 1e-3])
    schedule  cosine(warmup = choice warmup 0 .. 100 step 10)
    trials    16
    algorithm random
}
tune again {
    from   s top 1
    data   d.train split 90% / 10%
    batch  choice [16, 32, 64]
    trials 4
}
