// A proxy's `resolution`: image heights in pixels, each at most the height of the first
// search's images (NAS0614, a note at the dataset's `input`). One below the full height is
// allowed with a reward that measures latency (a trial measures its full-resolution graph's:
// tests/run/proxy_resolution_latency.nas), and the full height itself (8) always.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
// expect: note at 8:13
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    return x |> conv2d(choice w [2, 4]) |> relu |> global_avgpool |> dense(2)
}
reward {
    maximize accuracy
    subject to latency <= 2ms
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
    reference  4
    epochs     [1]
    resolution [4, 8, 16]
// expect: error NAS0614 at 30:23
}
