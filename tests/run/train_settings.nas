// Each training setting of a `train` changes what it trains: six trains of the same best
// architecture of one search, on the same data. `same` repeats `base` and gets its first-epoch
// loss to the last digit (the built-in trainer is deterministic); each of the others differs
// from `base` in one setting only, and its loss differs.
// covers: train.seed, train.optimizer, train.schedule, train.clip_norm, train.batch
use std.layers

dataset blobs {
    format  synthetic(n = 200, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

controller { algorithm grid }

search s {
    data   blobs.train split 50% / 50%
    batch  16
    trials 1
}

train base {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
}

train same {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
}

train seeded {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
    seed 7
}

train adam {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
    optimizer adam(lr = 0.01)
}

train warm {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
    schedule linear_warmup(warmup = 10)
}

train clipped {
    from s top 1
    data blobs.train
    epochs 1
    batch 16
    clip_norm 0.001
}

train small_batch {
    from s top 1
    data blobs.train
    epochs 1
    batch 4
}

// expect-store: SELECT stage, count(*) FROM trial WHERE state = 1 GROUP BY stage ORDER BY stage => [[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1]]
// expect-store: SELECT t.stage, json_extract(t.curve, '$[0].train_loss') = json_extract(b.curve, '$[0].train_loss') FROM trial t, trial b WHERE b.stage = 2 AND t.stage > 2 ORDER BY t.stage => [[3, 1], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0]]
