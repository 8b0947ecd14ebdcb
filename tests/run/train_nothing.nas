// A train stage whose search left no finished feasible trial has nothing to train: nasrun
// says so and exits 3 instead of ending "done" with a stage that trained nothing (the main
// job once did, after its stage 1 stopped at once).
use std.layers

dataset d {
    format  synthetic(n = 20, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "exit 1"

search s {
    data       d.train split 50% / 50%
    trials     2
    max_failed 2
}

train full {
    from s top 1
    data d.train / d.test
}

// expect-exit: 3
// expect-stderr: nasrun: [stage 2] s has no finished feasible trial with a reward: full has nothing to train
// expect-store: SELECT stage, count(*) FROM trial GROUP BY stage => [[1, 2]]
