// NAS0309: a name of the wrong kind of declaration: `from` needs a search, `split` a dataset part.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}
let three = 3
search s {
    data   three split 90% / 10%
// expect: error NAS0309 at 10:12
    trials 30
    max_failed 10
}
train t {
    from fashion top 3
// expect: error NAS0309 at 16:10
    data fashion.train / fashion.test
}

// The network the search trains (a search needs a model).
use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
