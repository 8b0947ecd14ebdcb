// The controller's `algorithm` and `seed`: grid proposes each of the 4 architectures once in 4
// trials (the random default repeats some: tests/run/search_limits); the file's `seed 9` is
// the experiment's (`--seed 9` resumes it, `--seed 3` starts another), and another seed
// proposes in another order.
// covers: controller.algorithm, controller.seed
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
    algorithm grid
    seed      9
}

search s {
    data   blobs.train split 50% / 50%
    trials 4
}

// expect-stderr: nasrun: experiment 1 begins (seed 9)
// expect-stderr: controller grid, space of 1 decisions
// expect-store: SELECT count(DISTINCT arch_id), sum(state = 1) FROM trial => [[4, 4]]
// run: {file} --seed 9
// expect-stderr: resuming experiment 1
// expect-store: SELECT count(*) FROM experiment => [[1]]
// run: {file} --seed 3
// expect-stderr: nasrun: experiment 2 begins (seed 3)
// expect-store: SELECT count(DISTINCT arch_id), sum(state = 1) FROM trial WHERE experiment = 2 => [[4, 4]]
// expect-store: SELECT (SELECT group_concat(arch_id) FROM (SELECT arch_id FROM trial WHERE experiment = 1 ORDER BY seq)) = (SELECT group_concat(arch_id) FROM (SELECT arch_id FROM trial WHERE experiment = 2 ORDER BY seq)) => [[0]]
