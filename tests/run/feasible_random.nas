// A hard params constraint shapes the random proposals (compiler/model/feasible.c): params are
// 9k + 2k + 2 = 11k + 2, so `params <= 222` holds for k <= 20, a third of k in 1 .. 60. Every
// one of the 15 random proposals has k <= 20 (by chance: 3^-15), drawn without rejection (the
// external trainer reports params 0, so the run-time check would not reject any).
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    x = x |> dense(choice k 1 .. 60) |> relu
    return dense(x, 2)
}

reward {
    maximize accuracy
    subject to params <= 222 hard
}

trainer exec "echo '{\"accuracy\": 0.5, \"params\": 0}'"

controller {
    algorithm random
    seed      3
}

search s {
    data   blobs.train split 50% / 50%
    trials 15
}

// expect-store: SELECT max(json_extract(decisions, '$.k')) <= 20, count(*) FROM trial => [[1, 15]]
