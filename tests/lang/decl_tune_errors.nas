// A tune needs `from` a search or a train (NAS0603 without, NAS0309 naming something else) and
// at least one decision in its settings (NAS0707: otherwise it has nothing to search).
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
tune nothing {
// expect: error NAS0707 at 14:6
    from   s top 1
    data   d.train split 90% / 10%
    epochs 3
    trials 4
}
tune nowhere {
// expect: error NAS0603 at 21:6
    data   d.train split 90% / 10%
    batch  choice [16, 32]
    trials 4
}
tune wrong {
    from   d top 1
// expect: error NAS0309 at 28:12
// expect: note at 4:9
    data   d.train split 90% / 10%
    batch  choice [16, 32]
    trials 4
}
