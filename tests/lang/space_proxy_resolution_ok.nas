// A resolution at which every architecture builds: nasc says so in its summary (the check at
// [1, 4, 4] is a proof, as the declared input's is).
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
    resolution [4, 8]
}
// args: {file}
// expect-output: every architecture builds at the proxy's candidates: [1, 4, 4] (proven)
