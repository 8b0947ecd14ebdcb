// `split a / b` sizes the proxy task: 70% of the 400 training examples train, 30% validate.
// covers: search.data, dataset.format
use std.layers

dataset blobs {
    format  synthetic(n = 400, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   blobs.train split 70% / 30%
    batch  16
    trials 2
}

// expect-stderr: trains on 280 of blobs.train, validates on the other 120 (70% / 30%)
// expect-store: SELECT DISTINCT json_extract(metrics, '$.train_examples'), json_extract(metrics, '$.val_examples') FROM trial WHERE stage = 1 AND state = 1 => [[280, 120]]
