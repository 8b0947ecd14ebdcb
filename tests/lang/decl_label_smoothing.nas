// `label_smoothing` (a search's, a train's or a tune's): a constant number in [0, 1); 1, a
// negative number, a string and a decision are errors at the value.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 4, 4]
    classes 2
}
model net(x: tensor[1, 4, 4]) -> tensor[2] { return x |> flatten |> dense(2) }
search s {
    data            d.train split 90% / 10%
    trials          10
    label_smoothing 1
// expect: error NAS0612 at 13:21
}
search ok {
    data            d.train split 90% / 10%
    trials          10
    label_smoothing 0.1
}
train t {
    from            s top 1
    data            d.train / d.test
    label_smoothing -0.1
// expect: error NAS0612 at 24:21
}
train named {
    from            s top 1
    data            d.train / d.test
    label_smoothing "some"
// expect: error NAS0604 at 30:21
}
tune u {
    from            s top 1
    data            d.train split 90% / 10%
    trials          2
    label_smoothing choice ls [0, 0.1]
// expect: error NAS0413 at 37:21
// expect: note at 37:21
}
