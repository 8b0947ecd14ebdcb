// A train trains on its `data` part and validates on the part after `/`: here it trains on the
// small test part of `small` (n = 100: 20 examples) and validates on the train part of `big`
// (300 examples) — the same patterns (same seed), so the model carries over.
// covers: train.data
use std.layers

dataset small {
    format  synthetic(n = 100, seed = 5)
    input   [8]
    classes 2
}

dataset big {
    format  synthetic(n = 300, seed = 5)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   big.train split 50% / 50%
    batch  16
    trials 2
}

train full {
    from   s top 1
    data   small.test / big.train
    batch  4
    epochs 2
}

// expect-stderr: [stage 2] train full, the best 1 of stage 1 (search s): trains on 20 of small.test, validates on 300 of big.train
// expect-store: SELECT stage, json_extract(metrics, '$.train_examples'), json_extract(metrics, '$.val_examples') FROM trial WHERE stage = 2 => [[2, 20, 300]]
// expect-stdout: validated on big.train
