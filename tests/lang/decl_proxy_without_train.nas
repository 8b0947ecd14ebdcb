// A proxy design compares the first search's proxy task with the first train's full training:
// without a train there is nothing to compare with (NAS0706, at the proxy).
use std.layers
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
model net(x: tensor[4]) -> tensor[2] { return x |> dense(choice w [2, 4]) |> dense(2) }
search s {
    data   d.train split 90% / 10%
    trials 10
}
proxy design {
// expect: error NAS0706 at 14:1
    reference 4
    epochs    [1]
}
