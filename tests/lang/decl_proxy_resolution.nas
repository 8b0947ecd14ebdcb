// A proxy's `resolution`: image heights in pixels, each at most the height of the first
// search's images (NAS0614, a note at the dataset's `input`). One below the full height is
// refused with a reward that measures latency, which a trial at a lower resolution cannot
// measure of the full-resolution graph (NAS0614, a note at the reward). The full height itself
// (8) is always allowed.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
// expect: note at 9:13
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    return x |> conv2d(choice w [2, 4]) |> relu |> global_avgpool |> dense(2)
}
reward {
// expect: note at 16:1
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
// expect: error NAS0614 at 32:17
// expect: error NAS0614 at 32:23
}
