// `prune` with built-in training: the trial process prints an epoch line after each epoch
// (validation accuracy and loss), which the scheduler reads while it trains, so trials are
// stopped at a rung (reduction 2 on 4 epochs: rungs 1 and 2) and stored `pruned` with that
// epoch's metrics and curve; the ones that run to the end keep the trainer's full curve and
// report (its metrics line is found after the epoch lines).
// covers: search.prune, search.epochs
use std.layers

dataset blobs {
    format  synthetic(n = 300, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [1, 2, 4, 16]) |> relu |> dense(choice v [1, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

controller { algorithm grid }

search s {
    data   blobs.train split 50% / 50%
    batch  16
    epochs 4
    trials 8
    prune  asha(min = 1, reduction = 2)
}

// expect-stdout: epochs run,
// expect-store: SELECT count(*) > 0, sum(json_array_length(curve) = json_extract(metrics, '$.epoch')) = count(*), sum(json_extract(metrics, '$.epoch') IN (1, 2)) = count(*), sum(json_extract(metrics, '$.loss') IS NOT NULL) = count(*) FROM trial WHERE state = 5 => [[1, 1, 1, 1]]
// expect-store: SELECT count(*) > 0, sum(json_array_length(curve) = 4) = count(*), sum(json_extract(metrics, '$.params') > 0) = count(*) FROM trial WHERE state = 1 => [[1, 1, 1]]
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 5) => [[8]]
