// Hard constraints on params and FLOPs together keep Sobol's points (infeasible ones skipped)
// within the feasible set (space_feasible). The space and the constraints are those of
// feasible_evolution.nas (150 of 480 architectures feasible); the external trainer reports
// params and flops 0, so the run-time check rejects nothing and the store's decisions show
// what was proposed.
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [1, 6, 6]
    classes 2
}

model m(x: tensor[1, 6, 6]) -> tensor[2] {
    x = x |> conv2d(choice k 1 .. 16, kernel = 3, padding = "same") |> relu |> global_avgpool
    return x |> dense(choice j 1 .. 30) |> relu |> dense(2)
}

reward {
    maximize accuracy
    subject to params <= 250 hard
    subject to flops <= 4000 hard
}

trainer exec "echo '{\"accuracy\": 0.5, \"params\": 0, \"flops\": 0}'"

controller {
    algorithm sobol
    seed      3
}

search s {
    data   blobs.train split 50% / 50%
    trials 24
}

// expect-store: SELECT sum(10 * k + k * j + 3 * j + 2 <= 250 AND 2 * (324 * k + k * j + 2 * j) <= 4000), count(*) FROM (SELECT json_extract(decisions, '$.k') AS k, json_extract(decisions, '$.j') AS j FROM trial) => [[24, 24]]
