// NAS0613: the model takes tensor[32], the dataset's examples are [16]; also checked for the
// dataset of a train stage (its own dataset, here a second one with the same mismatch).
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [16]
    // expect: note at 6:13
    classes 4
}
dataset e {
    format  synthetic(n = 100, seed = 2)
    input   [1, 32]
    classes 2
    // expect: note at 13:13
}
model m(x: tensor[32]) -> tensor[4] { return x |> dense(choice w [8, 16]) |> relu |> dense(4) }
// expect: error NAS0613 at 16:12
// expect: error NAS0613 at 16:27
search s {
    data       d.train split 80% / 20%
    trials     4
    max_failed 1
}
train t {
    from s top 1
    data e.train
}
