// NAS0603: a dataset needs `path` unless synthetic; a search needs `trials`. The error is at
// the declaration's name.
dataset d {
// expect: error NAS0603 at 3:9
    format  idx
    input   [1, 28, 28]
    classes 10
}
search s {
// expect: error NAS0603 at 9:8
    data   d.train split 90% / 10%
    epochs 1
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
