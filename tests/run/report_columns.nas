// `report` metrics are shown in every view: --top, --status, the summary and the CSV export.
// The trainer reports `test_accuracy` besides the reward's metric; `report params` is a
// column already, so it is not repeated.
// covers: reward.report
use std.layers

dataset blobs {
    format  synthetic(n = 100, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8]) |> relu |> dense(2)
}

reward {
    maximize accuracy
    report   test_accuracy, params
}

trainer exec "echo '{\"accuracy\": 0.5, \"test_accuracy\": 0.4375, \"params\": 9}'"

search s {
    data   blobs.train split 50% / 50%
    trials 2
}

train full {
    from s top 1
    data blobs.train
}

// expect-stdout: test_accuracy
// expect-stdout:     0.4375  
// expect-stdout: best architectures after full training
// run: {file} --top 3
// expect-stdout: lat_ms test_accuracy  arch
// expect-stdout:     0.4375  
// run: {file} --status
// expect-stdout: lat_ms test_accuracy  arch
// run: {file} --export csv
// expect-stdout: memory,test_accuracy,seconds,attempts,arch_id,decision:w,reason
// expect-stdout: ,nan,0.4375,
