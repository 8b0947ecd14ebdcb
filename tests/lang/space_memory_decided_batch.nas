// A decided batch: the training-memory estimate is at its largest value, a bound over the space.
// expect-output: at batch 96, SGD momentum (exact)
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
let bs = choice batch [16, 96, 32]
// expect: warning NAS0701 at 8:10
// expect: note at 15:15
search s {
    data      d.train split 90% / 10%
    trials    30
    max_failed 10
    batch     bs
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return x |> dense(choice w [8, 16]) |> relu |> dense(2) }
