// `proxy` (§3.11): the proxy-task design of the first search, against the first train's full
// training; `keep when` reads `correlation` (Kendall's tau), `kendall` and `spearman`.
// expect-no-diagnostics
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
    reference  10
    epochs     [1, 2, 4]
    data       [10%, 25%, 100%]
    keep when  correlation >= 0.8 and spearman > 0.9 or not (kendall < 0.95)
}
