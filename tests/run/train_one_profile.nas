// nasrun --train-one --profile: where one trial's time went — the data load, the set-up with
// its JIT time, the steps by op kind (batch 8 of the `train`), validation and the latency runs.
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
// run: {file} --train-one {sql:SELECT arch_id FROM trial} --profile
// expect-stdout: data load and decode:
// expect-stdout: phases: set-up
// expect-stdout: profile (train, batch 8)
// expect-stdout:   dense
// expect-stdout: latency:
// expect-stdout: final: accuracy
