// `algorithm ppo(...)`: PPO over the decision table runs its trials; with `batch = 2` it
// updates after every second result. A rerun resumes by replay.
// covers: controller.algorithm
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(choice v [2, 4]) |> dense(2)
}

reward { maximize accuracy }

trainer exec "echo '{\"accuracy\": 0.5}'"

controller {
    algorithm ppo(lr = 0.5, clip = 0.3, batch = 2, epochs = 2, entropy = 0.01)
    seed      4
}

search s {
    data   blobs.train split 50% / 50%
    trials 6
}

// expect-stderr: controller ppo, space of 2 decisions
// expect-store: SELECT count(*), sum(state IN (1, 4)) FROM trial WHERE stage = 1 => [[6, 6]]
// run: {file} --seed 4
// expect-stderr: resuming experiment 1
