// Widths and resolutions at which every architecture builds: a residual add of two conv2d(4)
// (both sides scale alike), a depthwise layer and squeeze_excite that follow their input's
// channels, and the classifier dense(2), not scaled. nasc checks each width, each resolution and
// each of their combinations, and says so in its summary (each a proof, as the declared
// model's is).
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> conv2d(4) |> relu
    if choice res [false, true] {
        x = add(x, x |> conv2d(4) |> depthwise_conv2d(3) |> squeeze_excite(0.5))
    }
    return x |> pointwise(choice p [6, 8]) |> global_avgpool |> dense(2)
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
// args: {file}
// expect-output: every architecture builds at the proxy's candidates: [1, 4, 4] (proven), width 0.5 (proven), [1, 4, 4] at width 0.5 (proven)
