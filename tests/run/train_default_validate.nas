// A train without `/ part` validates on its dataset's test part (n = 250: 50 examples).
use std.layers

dataset blobs {
    format  synthetic(n = 250, seed = 2)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   blobs.train split 80% / 20%
    batch  16
    trials 2
}

train full {
    from   s top 2
    data   blobs.train
    batch  16
}

// expect-stderr: trains on 250 of blobs.train, validates on 50 of blobs.test
// expect-store: SELECT DISTINCT json_extract(metrics, '$.train_examples'), json_extract(metrics, '$.val_examples') FROM trial WHERE stage = 2 => [[250, 50]]
