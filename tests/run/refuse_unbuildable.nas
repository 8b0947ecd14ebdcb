// nasrun refuses what nasc refuses: before a store is opened or a trial starts it runs nasc's
// whole-space check (nas_compile_check), at the declared model and at each proxy candidate. Here
// the optional `add` of the pooled 4 channels and a dense(3) never builds (NAS0901), and at
// width 0.9 the only conv2d(4) keeps its 4 filters (round(3.6)), so the width changes no
// architecture (NAS0904): exit 1, the diagnostics, no store. Without the check nasrun trained the
// architectures that build and failed the others one trial at a time.
// run: {file}
// expect-exit: 1
// expect-stderr: error[NAS0901]: add: shapes [4] and [3] differ
// expect-stderr: error[NAS0904]: width 0.9 changes none of the architectures of the space (1 built at it)
// expect-not: trial 0
// run: --status {file}
// expect-exit: 2
// expect-stderr: no trial store here
use std.layers
dataset d {
    format  synthetic(n = 40, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = x |> conv2d(4) |> relu |> global_avgpool
    if choice bad [false, true] {
        x = add(x, x |> dense(3))
    }
    return x |> dense(2)
}
search s {
    data   d.train split 50% / 50%
    trials 2
    epochs 1
}
train full {
    from s top 1
    data d.train / d.test
    epochs 1
}
proxy design {
    reference  2
    epochs     [1]
    width      [0.9, 1]
}
