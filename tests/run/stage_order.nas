// Several searches and trains run in the order the file gives them, each train from the
// search it names: a coarse search (1 epoch), its full training, a finer search (3 epochs, its
// own split), its full training, then a train from the coarse search placed last. Stage
// numbers follow the file.
// covers: search.trials, search.epochs, train.epochs, train.data
use std.layers

dataset blobs {
    format  synthetic(n = 300, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

search coarse {
    data   blobs.train split 50% / 50%
    batch  16
    trials 3
}

train coarse_full {
    from   coarse top 1
    data   blobs.train / blobs.test
    batch  16
}

search fine {
    data   blobs.train split 90% / 10%
    epochs 3
    batch  16
    trials 2
}

train fine_full {
    from   fine top 1
    data   blobs.train
    batch  16
    epochs 2
}

train again {
    from   coarse top 2
    data   blobs.test
    batch  4
}

// expect-in-order: [stage 1] search coarse: trains on 150 of blobs.train
// expect-in-order: [stage 2] train coarse_full, the best 1 of stage 1 (search coarse)
// expect-in-order: [stage 3] search fine: trains on 270 of blobs.train, validates on the other 30
// expect-in-order: [stage 4] train fine_full, the best 1 of stage 3 (search fine)
// expect-in-order: [stage 5] train again, the best 2 of stage 1 (search coarse): trains on 60 of blobs.test
// expect-store: SELECT stage, count(*) FROM trial GROUP BY stage ORDER BY stage => [[1, 3], [2, 1], [3, 2], [4, 1], [5, 2]]
// stage 5 trained the two best distinct architectures of stage 1, stage 2 the best one, stage 4
// the best of stage 3
// expect-store: SELECT count(*) FROM trial t WHERE stage = 5 AND arch_id IN (SELECT arch_id FROM trial WHERE stage = 1 AND state = 1 ORDER BY reward DESC, seq LIMIT 2) => [[2]]
// expect-store: SELECT count(*) FROM trial t WHERE stage = 2 AND arch_id = (SELECT arch_id FROM trial WHERE stage = 1 AND state = 1 ORDER BY reward DESC, seq LIMIT 1) => [[1]]
// expect-store: SELECT count(*) FROM trial t WHERE stage = 4 AND arch_id = (SELECT arch_id FROM trial WHERE stage = 3 AND state = 1 ORDER BY reward DESC, seq LIMIT 1) => [[1]]
// expect-store: SELECT DISTINCT stage, json_extract(curve, '$[#-1].epoch') FROM trial WHERE state = 1 ORDER BY stage => [[1, 1], [2, 10], [3, 3], [4, 2], [5, 10]]
// expect-stdout: stage 5 (train again, full training of the best of stage 1)
