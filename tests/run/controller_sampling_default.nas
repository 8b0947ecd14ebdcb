// The default `sampling decisions` of controller_sampling.nas's space: each decision uniform on
// its own, so about half of 80 random proposals take the one-architecture branch d = 1.
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    let d = choice d [1, 2]
    if d == 2 { x = x |> dense(choice k 1 .. 99) |> relu }
    return dense(x, 2)
}

reward { maximize accuracy }

trainer exec "echo '{\"accuracy\": 0.5}'"

controller {
    algorithm random
    seed      5
}

search s {
    data   blobs.train split 50% / 50%
    trials 80
}

// expect-store: SELECT sum(json_extract(decisions, '$.d') = 1) >= 25, count(*) FROM trial => [[1, 80]]
