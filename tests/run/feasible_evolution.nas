// Hard constraints on params and FLOPs together keep evolution's mutations feasible
// (compiler/model/feasible.c: a DP over the pair; space_mutate redraws a move that leaves the
// feasible set). params = 10k + kj + 3j + 2 and MACs = 324k + kj + 2j (nasc --sample), so
// `params <= 250` and `flops <= 4000` leave 150 of the 480 architectures (nasc: exact).
// Without the feasibility test (space_feasible always true) 28 of these 40 proposals are
// infeasible. The external trainer reports params and flops 0, so the run-time check
// rejects nothing: the store's decisions show what was proposed.
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
    algorithm evolution(population = 4, sample = 2)
    seed      3
}

search s {
    data   blobs.train split 50% / 50%
    trials 40
}

// expect-store: SELECT sum(10 * k + k * j + 3 * j + 2 <= 250 AND 2 * (324 * k + k * j + 2 * j) <= 4000), count(*) FROM (SELECT json_extract(decisions, '$.k') AS k, json_extract(decisions, '$.j') AS j FROM trial) => [[40, 40]]
