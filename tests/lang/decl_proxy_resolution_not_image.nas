// `resolution` resizes images [C, H, W]: a search whose dataset's examples are vectors has no
// resolution to scale (NAS0614 at the first resolution, a note at the dataset's `input`).
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [16]
// expect: note at 6:13
    classes 2
}
model net(x: tensor[16]) -> tensor[2] { return x |> dense(choice w [2, 4]) |> dense(2) }
search s {
    data   d.train split 90% / 10%
    trials 10
}
train full {
    from s top 1
    data d.train / d.test
}
proxy design {
    reference  4
    epochs     [1]
    resolution [8, 4]
// expect: error NAS0614 at 22:17
}
