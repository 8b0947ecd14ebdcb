// A tune's `precision` is what its trials compute in: fp16 is CUDA only, so on the CPU nasrun
// refuses before any trial (the search before it included); `--precision fp32` overrides the
// file and both stages run.
// covers: tune.precision
use std.layers

dataset blobs {
    format  synthetic(n = 40, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   blobs.train split 50% / 50%
    batch  8
    trials 1
}

tune hp {
    from      s top 1
    data      blobs.train split 50% / 50%
    batch     8
    optimizer sgd(lr = choice lr [0.05, 0.1])
    trials    1
    precision fp16
}

// run: {file} --device cpu
// expect-exit: 2
// expect-stderr: nasrun: cannot train on device cpu with precision fp16
// expect-not: experiment 1 begins
// run: {file} --device cpu --precision fp32
// expect-store: SELECT stage, count(*) FROM trial WHERE state = 1 GROUP BY stage => [[1, 1], [2, 1]]
