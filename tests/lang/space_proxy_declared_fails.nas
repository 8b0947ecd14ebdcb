// A place where the declared model fails is reported there (NAS0901), not again at each of a
// proxy's candidates (NAS0903 repeated the same failure at resolution 4 and at width 0.5); a
// place that fails only at a candidate is still reported at it: the grouped conv2d(8, groups
// = 4) after a conv2d(4) divides 4 channels, not the 2 of width 0.5.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [2, 8, 8]
    classes 2
}
model net(x: tensor[2, 8, 8]) -> tensor[2] {
    if choice res [false, true] {
        x = add(x, x |> conv2d(choice c [2, 3]))
    }
    x = x |> conv2d(4)
    if choice grouped [false, true] {
        x = x |> conv2d(8, groups = 4)
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
    resolution [4, 8]
    width      [0.5, 1]
}
// expect: error NAS0901 at 13:13
// expect: note at 13:13
// expect: error NAS0903 at 33:17
// expect: note at 17:18
// expect: note at 17:18
// expect-stderr: at width 0.5 some architectures do not build: conv2d: groups 4 must divide input channels 2
