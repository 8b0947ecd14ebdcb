// NAS0416: a dataset has parts `train` and `test` only (a note suggests the close one); other
// values have no members at all.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}
search s {
    data   fashion.tran split 90% / 10%
// expect: error NAS0416 at 10:20
// expect: note at 10:20
    trials 30
    max_failed 10
}
let n = 3
let m = n.size
// expect: error NAS0416 at 17:11

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
