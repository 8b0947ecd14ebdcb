// `parallel N` runs N trials at once, in a search and in a train: each trial of the external
// trainer counts the trials alive beside it (a file each in live/, held 0.5 s) and reports
// the count; with `parallel 2` two trials of each stage overlap.
// covers: search.parallel, train.parallel
// write: t.sh = "mkdir -p live; touch live/$$; sleep 0.5; n=$(ls live | wc -l); sleep 0.2; rm live/$$\necho \"{\\\"accuracy\\\": 0.5, \\\"together\\\": $n}\"\n"
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w 1 .. 1000) |> relu |> dense(2)
}

reward {
    maximize accuracy
    report   together
}

trainer exec "sh t.sh"

search s {
    data     blobs.train split 50% / 50%
    trials   4
    parallel 2
}

train full {
    from     s top 2
    data     blobs.train
    parallel 2
}

// expect-stderr: [stage 1] 4 trials, 2 in parallel
// expect-stderr: [stage 2] full training of the best 2 architectures, 2 in parallel
// expect-store: SELECT stage, count(*), max(json_extract(metrics, '$.together')) FROM trial WHERE state = 1 GROUP BY stage => [[1, 4, 2], [2, 2, 2]]
