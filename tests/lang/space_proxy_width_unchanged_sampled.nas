// A model of dense layers only has nothing a width scales: every one of the architectures nasc
// instantiates builds the same graph at 0.5. The space (1,000 architectures) is too large to
// check whole, so this is a warning (NAS0904): an architecture outside the sample might change.
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> flatten
    x = x |> dense(choice a [8, 16, 24, 32, 40, 48, 56, 64, 72, 80]) |> relu
    x = x |> dense(choice b [8, 16, 24, 32, 40, 48, 56, 64, 72, 80]) |> relu
    x = x |> dense(choice c [8, 16, 24, 32, 40, 48, 56, 64, 72, 80]) |> relu
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
    width      [0.5, 1]
// expect: warning NAS0904 at 28:17
// expect-stderr: width 0.5 changes none of the architectures sampled (64 built at it)
}
