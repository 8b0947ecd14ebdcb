// The candidates are the cross product of resolutions and widths, so nasc also proves each
// combination builds: a pool whose window grows as the channels shrink (8 - x.channels) fits
// the 8x8 map at width 0.5 (a window of 6 or 5) and the 4x4 map at width 1 (4 or 3), but not
// the 4x4 map at width 0.5: NAS0903 at the width, naming the resolution, with a note at the pool
// and an architecture that fails. Each alone builds, so nothing is reported at the resolution.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> conv2d(choice f [4, 5]) |> relu
    x = x |> avgpool(8 - x.channels)
// expect: note at 14:14
// expect: note at 14:14
    return x |> global_avgpool |> dense(2)
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
// expect: error NAS0903 at 31:17
// expect-stderr: at width 0.5 and resolution 4 (input [1, 4, 4]) some architectures do not build
}
