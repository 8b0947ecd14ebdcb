// A width that changes no architecture is refused (NAS0904 at it): this model's only
// convolution is conv2d(4), which keeps its 4 filters at 0.9 (round(3.6) = 4), and the
// optional hidden `dense(16)` is not scaled, so at 0.9 each of the 2 architectures builds the
// graph of the full width, and the design would rank the declared model as a cheaper proxy.
// 0.5 (2 filters) changes them all and is accepted.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> conv2d(4) |> relu |> global_avgpool
    if choice hidden [false, true] {
        x = x |> dense(16) |> relu
    }
    return x |> dense(2)
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
    width      [0.5, 0.9, 1]
// expect: error NAS0904 at 30:22
// expect-stderr: width 0.9 changes none of the architectures of the space (2 built at it)
}
