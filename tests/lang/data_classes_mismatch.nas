// NAS0613: the dataset has 8 classes, the model's result has 4: every trial would fail.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [16]
    classes 8
    // expect: note at 6:13
}
model m(x: tensor[16]) -> tensor[4] { return x |> dense(choice w [8, 16]) |> relu |> dense(4) }
// expect: error NAS0613 at 9:27
search s {
    data       d.train split 80% / 20%
    trials     4
    max_failed 1
}
