// `--stage N` runs only the Nth search or train of the file; a train takes the stored results
// of its search. A number past the file's stages is refused.
use std.layers

dataset blobs {
    format  synthetic(n = 200, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search one {
    data   blobs.train split 50% / 50%
    batch  16
    trials 2
}

search two {
    data   blobs.train split 50% / 50%
    batch  16
    trials 2
}

train from_two {
    from   two top 1
    data   blobs.train
    batch  16
    epochs 1
}

// run: {file} --stage 2
// expect-store: SELECT DISTINCT stage FROM trial => [[2]]
// expect-not: [stage 1]
// run: {file} --stage 3
// expect-store: SELECT stage, count(*) FROM trial GROUP BY stage => [[2, 2], [3, 1]]
// run: {file} --stage 4
// expect-exit: 2
// expect-stderr: --stage 4: stage_option.nas declares 3 stages
