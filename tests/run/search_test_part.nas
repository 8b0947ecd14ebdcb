// A search trains on the part its `data` names: here the test part (a fifth of n = 500, so
// 100 examples), split 80% / 20%. Every trial records 80 training and 20 validation examples.
// covers: search.data
use std.layers

dataset blobs {
    format  synthetic(n = 500, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   blobs.test split 80% / 20%
    batch  16
    trials 2
}

// expect-stderr: [stage 1] search s: trains on 80 of blobs.test, validates on the other 20 (80% / 20%)
// expect-store: SELECT DISTINCT stage, json_extract(metrics, '$.train_examples'), json_extract(metrics, '$.val_examples') FROM trial WHERE state = 1 => [[1, 80, 20]]
