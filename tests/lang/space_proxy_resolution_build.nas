// nasc proves every architecture builds at each of a proxy's resolutions below the full one,
// as it does for the declared input: at 2 x 2 the stride-2 convolution leaves a 1 x 1 map that
// the optional pool cannot take, so resolution 2 is refused (NAS0903 at it, notes at the pool
// and with an architecture that fails); 4 builds for every architecture and 8 is the input.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> conv2d(4, stride = 2) |> relu
    if choice deep [false, true] {
        x = x |> maxpool(2)
// expect: note at 14:18
// expect: note at 14:18
    }
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
    resolution [2, 4, 8]
// expect: error NAS0903 at 31:17
// expect-stderr: at resolution 2 (input [1, 2, 2]) some architectures do not build
// expect-stderr: for example architecture
}
