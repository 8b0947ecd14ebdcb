// A hard constraint on a figure the built-in trainer knows from the graph (params, flops,
// memory) is checked before a proposal trains (runtime/pipeline/trial.c, trial_precheck): an
// architecture that breaks it is recorded infeasible at once, its figures stored with
// "trained": false and no curve or accuracy, and it costs no training. `memory` is the case
// here because nasc's feasible sampler knows params and flops but not the planned peak, so
// grid proposes both widths: w = 4 plans 1.4 KB at batch 8, w = 2048 456.5 KB (nasc).
use std.layers

dataset blobs {
    format  synthetic(n = 64, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 2048]) |> relu |> dense(2)
}

reward {
    maximize accuracy
    subject to memory <= 100KB hard
}

controller {
    algorithm grid
    seed      1
}

search s {
    data   blobs.train split 50% / 50%
    trials 2
    epochs 1
    batch  8
}

// expect-stderr: infeasible: hard constraint failed: memory =
// expect-stderr: not trained: its figures are known before training
// expect-store: SELECT json_extract(decisions, '$.w'), state, json_extract(metrics, '$.trained'), curve IS NULL, json_extract(metrics, '$.accuracy') IS NULL FROM trial ORDER BY json_extract(decisions, '$.w') => [[4, 1, null, 0, 0], [2048, 2, 0, 1, 1]]
