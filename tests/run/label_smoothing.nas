// `label_smoothing` per stage: the same single architecture, seed, split and batches, trained
// against the one-hot labels (stages 1, 2 and the tune 6) and against smoothed ones (3, 4 and 7:
// eps 0.1 in the search and the tune, 0.3 in the train). The smoothed training loss is higher,
// and never below the target's entropy, its floor (eps 0.1 of 2 classes: 0.199; 0.3: 0.423),
// which the one-hot loss goes far below; validation's loss is the plain cross-entropy (below
// the floor). A repeat of stage 1 (stage 5) trains to the same curve: the difference is the
// smoothing.
// covers: search.label_smoothing, train.label_smoothing, tune.label_smoothing
use std.layers

dataset img {
    format  synthetic(n = 200, seed = 2)
    input   [1, 6, 6]
    classes 2
}

model m(x: tensor[1, 6, 6]) -> tensor[2] {
    return x |> flatten |> dense(choice w [4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search plain {
    data   img.train split 80% / 20%
    epochs 2
    batch  16
    trials 1
}

train plain_full {
    from   plain top 1
    data   img.train / img.test
    epochs 2
    batch  16
}

search smoothed {
    data            img.train split 80% / 20%
    epochs          2
    batch           16
    trials          1
    label_smoothing 0.1
}

train smoothed_full {
    from            smoothed top 1
    data            img.train / img.test
    epochs          2
    batch           16
    label_smoothing 0.3
}

search plain_again {
    data   img.train split 80% / 20%
    epochs 2
    batch  16
    trials 1
}

tune plain_tune {
    from      plain top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    trials    1
}

tune smoothed_tune {
    from            plain top 1
    data            img.train split 80% / 20%
    batch           16
    optimizer       sgd(lr = choice lr [0.1], momentum = 0.9)
    label_smoothing 0.1
    trials          1
}
// expect-store: SELECT count(*) FROM trial WHERE state = 1 => [[7]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') || json_extract(curve, '$[1].train_loss') FROM trial WHERE stage = 1) = (SELECT json_extract(curve, '$[0].train_loss') || json_extract(curve, '$[1].train_loss') FROM trial WHERE stage = 5) => [[1]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 3) > (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 1) => [[1]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 4) > (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) => [[1]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 7) > (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 6) => [[1]]
// expect-store: SELECT json_extract(curve, '$[1].train_loss') < 0.199 FROM trial WHERE stage = 1 => [[1]]
// expect-store: SELECT json_extract(curve, '$[1].train_loss') > 0.199, json_extract(curve, '$[0].val_loss') < 0.199 FROM trial WHERE stage = 3 => [[1, 1]]
// expect-store: SELECT json_extract(curve, '$[1].train_loss') > 0.423 FROM trial WHERE stage = 4 => [[1]]
