// `augment` (a search's or a train's): crop(padding), flip(p), cutout(size, p), several at
// once; an unknown transform (label smoothing is its own setting) and non-positive numbers are
// errors at the value.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 4, 4]
    classes 2
}
model net(x: tensor[1, 4, 4]) -> tensor[2] { return x |> flatten |> dense(2) }
search s {
    data    d.train split 90% / 10%
    trials  10
    augment crop(padding = 0), flip, cutout(size = 2, p = 0.5)
// expect: error NAS0612 at 14:28
}
train t {
    from    s top 1
    data    d.train / d.test
    augment label_smoothing(0.1)
// expect: error NAS0605 at 20:13
}
