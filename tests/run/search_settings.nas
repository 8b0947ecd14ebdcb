// Each training setting of a `search` changes what its trials train: one-trial searches of a
// space of one architecture on the same data. `same` repeats `base` and gets its first-epoch
// loss to the last digit; each of the others differs from `base` in one setting only
// (`normal` in its dataset's `normalize`), and its loss differs.
// covers: search.seed, search.optimizer, search.schedule, search.clip_norm, search.batch, dataset.normalize
use std.layers

dataset blobs {
    format  synthetic(n = 200, seed = 4)
    input   [8]
    classes 2
}

dataset shifted {
    format    synthetic(n = 200, seed = 4)
    input     [8]
    classes   2
    normalize mean(0.5), std(4)
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [8]) |> relu |> dense(2)
}

reward { maximize accuracy }

search base {
    data   blobs.train split 50% / 50%
    batch  16
    trials 1
}

search same {
    data   blobs.train split 50% / 50%
    batch  16
    trials 1
}

search seeded {
    data   blobs.train split 50% / 50%
    batch  16
    trials 1
    seed   7
}

search adam {
    data      blobs.train split 50% / 50%
    batch     16
    trials    1
    optimizer adam(lr = 0.01)
}

search warm {
    data     blobs.train split 50% / 50%
    batch    16
    trials   1
    schedule linear_warmup(warmup = 10)
}

search clipped {
    data      blobs.train split 50% / 50%
    batch     16
    trials    1
    clip_norm 0.001
}

search small_batch {
    data   blobs.train split 50% / 50%
    batch  4
    trials 1
}

search normal {
    data   shifted.train split 50% / 50%
    batch  16
    trials 1
}

// expect-store: SELECT count(*), count(DISTINCT arch_id) FROM trial WHERE state = 1 => [[8, 1]]
// expect-store: SELECT t.stage, json_extract(t.curve, '$[0].train_loss') = json_extract(b.curve, '$[0].train_loss') FROM trial t, trial b WHERE b.stage = 1 AND t.stage > 1 ORDER BY t.stage => [[2, 1], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0]]
