// The controller's `sampling`: a conditional space where branch `d = 1` holds 1 architecture
// and `d = 2` holds 99 (k picks 1 .. 99). Drawn per decision (the default) about half of the
// random proposals take d = 1; drawn uniformly over architectures about 1 in 100 does. 80
// trials, seed 5: here at most 5 proposals have d = 1; controller_sampling_default.nas, the
// same file without `sampling`, has at least 25 (each bound more than 5 standard deviations
// from the other's mean).
// covers: controller.sampling
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    let d = choice d [1, 2]
    if d == 2 { x = x |> dense(choice k 1 .. 99) |> relu }
    return dense(x, 2)
}

reward { maximize accuracy }

trainer exec "echo '{\"accuracy\": 0.5}'"

controller {
    algorithm random
    seed      5
    sampling  uniform
}

search s {
    data   blobs.train split 50% / 50%
    trials 80
}

// expect-store: SELECT sum(json_extract(decisions, '$.d') = 1) <= 5, count(*) FROM trial => [[1, 80]]
