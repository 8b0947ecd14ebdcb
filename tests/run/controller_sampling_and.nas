// `sampling uniform` over a branch on two decisions: `if a == 2 and b` holds 98 architectures
// (k picks 1 .. 98), the other three combinations of a and b one each: 101 in all. Uniform
// over architectures, 98 of 101 proposals land in the branch (80 trials: mean 77.6, sd 1.5;
// at least 70 is 5 sd below); per decision it would be 1 in 4. The store's decisions hold k
// exactly when a = 2 and b.
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    let a = choice a [1, 2]
    let b = choice b bool
    if a == 2 and b { x = x |> dense(choice k 1 .. 98) |> relu }
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

// expect-store: SELECT sum(json_extract(decisions, '$.a') = 2 AND json_extract(decisions, '$.b')) >= 70, sum((json_extract(decisions, '$.k') IS NOT NULL) = (json_extract(decisions, '$.a') = 2 AND json_extract(decisions, '$.b'))), count(*) FROM trial => [[1, 80, 80]]
