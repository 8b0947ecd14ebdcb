// nasc proves every architecture builds at each of a proxy's widths below 1, as it does for
// the declared model: a residual `add` of the 2-channel input (its channels are the data's, not
// scaled) and a conv2d(2) builds at width 0.75 (round(1.5) = 2 filters) but not at 0.5 (1
// filter): NAS0903 at 0.5, notes at the add and with an architecture that fails. The grouped
// conv2d(8, groups = 4) after a conv2d(4) divides 4 channels but neither the 2 of width 0.5 nor
// the 3 of width 0.75 (round(4 x 0.75)): NAS0903 at each. The classifier `dense(2)` keeps its
// 2 classes at every width.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [2, 8, 8]
    classes 2
}
model net(x: tensor[2, 8, 8]) -> tensor[2] {
    if choice res [false, true] {
        x = add(x, x |> conv2d(2))
// expect: note at 16:13
// expect: note at 16:13
    }
    x = x |> conv2d(4)
    if choice grouped [false, true] {
        x = x |> conv2d(8, groups = 4)
// expect: note at 22:18
// expect: note at 22:18
// expect: note at 22:18
// expect: note at 22:18
    }
    return x |> relu |> global_avgpool |> dense(2)
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
    reference  2
    epochs     [1]
    width      [0.5, 0.75, 1]
// expect: error NAS0903 at 41:17
// expect: error NAS0903 at 41:17
// expect: error NAS0903 at 41:22
// expect-stderr: at width 0.5 some architectures do not build: add: shapes [2,8,8] and [1,8,8] differ
// expect-stderr: at width 0.75 some architectures do not build: conv2d: groups 4 must divide input channels 3
// expect-stderr: for example architecture
}
