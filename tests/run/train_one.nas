// --train-one trains like the file's first `train`: on its data part (blobs.test, 60 of n = 300)
// and validating on its part after `/` (blobs.train, 300), for its epochs.
// covers: train.epochs, train.batch
use std.layers

dataset blobs {
    format  synthetic(n = 300, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   blobs.train split 50% / 50%
    batch  16
    trials 1
}

train full {
    from   s top 1
    data   blobs.test / blobs.train
    epochs 2
    batch  8
}

// run: {file} --stage 1 --quiet
// run: {file} --train-one {sql:SELECT arch_id FROM trial}
// expect-stdout: training on 60 examples of blobs.test, validating on 300 (of blobs.train), 2 epochs, batch 8
// expect-stdout: final: accuracy
