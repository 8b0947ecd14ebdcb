// `algorithm bo(...)`: Gaussian-process BO never proposes an architecture already evaluated
// while a fresh one exists, so 4 trials of a 4-architecture space are the 4 (random repeats
// some: tests/run/search_limits); `startup` is read (the log names the model's start), and a
// rerun resumes by replay.
// covers: controller.algorithm
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "echo '{\"accuracy\": 0.5}'"

controller {
    algorithm bo(startup = 2)
    seed      4
}

search s {
    data   blobs.train split 50% / 50%
    trials 4
}

// expect-stderr: controller bo, space of 1 decisions
// expect-store: SELECT count(DISTINCT arch_id), sum(state = 1) FROM trial => [[4, 4]]
// run: {file} --seed 4
// expect-stderr: resuming experiment 1
