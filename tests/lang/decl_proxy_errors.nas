// A proxy's settings: `keep when` knows only correlation, kendall and spearman (a search's
// `failed` is not one); data fractions are percents in (0%, 100%]; epochs and resolutions at
// least 1; a program has one proxy (NAS0611).
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
train full {
    from s top 1
    data d.train / d.test
}
proxy design {
    reference 4
    epochs    [0, 2]
// expect: error NAS0612 at 21:16
    data      [50%, 150%]
// expect: error NAS0612 at 23:21
    keep when failed < 10%
// expect: error NAS0301 at 25:15
    resolution [0]
// expect: error NAS0612 at 27:17
}
proxy again {
// expect: error NAS0611 at 30:1
// expect: note at 19:1
    reference 4
    epochs    [1]
}
