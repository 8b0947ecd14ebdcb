// A proxy's `width`: multipliers of the convolutions' filters, each in (0, 1] (NAS0612 for 0,
// a value above 1 or a negative one). 1, the full width, and 0.25 are fine.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    return x |> conv2d(choice w [2, 4]) |> relu |> global_avgpool |> dense(2)
}
search s {
    data   d.train split 90% / 10%
    trials 10
}
train full {
    from s top 1
    data d.train / d.test
}
proxy design {
    reference 4
    epochs    [1]
    width     [0, 0.25, 1, 1.5, -0.5]
// expect: error NAS0612 at 23:16
// expect: error NAS0612 at 23:28
// expect: error NAS0612 at 23:33
}
