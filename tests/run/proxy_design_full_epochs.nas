// Proxy-task design against a cheaper target: `full_epochs 2` trains the 3 references for 2
// epochs instead of the train's 4 (its other settings kept), and says so; the train itself
// still trains its 4. The candidates (1 epoch on the whole 160-example split) are as before.
// covers: proxy.full_epochs
use std.layers

dataset d {
    format  synthetic(n = 200, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   d.train split 80% / 20%
    batch  16
    trials 2
}

train full {
    from   s top 1
    data   d.train / d.test
    epochs 4
    batch  16
}

proxy design {
    reference   3
    full_epochs 2
    epochs      [1]
}
// run: {file}
// expect-stderr: 3 reference architectures, fully (2 epochs) and under 1 candidate proxies
// expect-store: SELECT stage, count(*), max(json_array_length(curve)) FROM trial GROUP BY stage ORDER BY stage => [[-2, 3, 1], [-1, 3, 2], [1, 2, 1], [2, 1, 4]]
