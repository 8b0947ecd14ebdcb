// `augment` per stage: the same single architecture, seed, split and batches, trained without
// augmentation (stages 1 and 2) and with it (stages 3 and 4: crop, flip and cutout; a train
// adding its own, as Vertex allows for full training). The training losses differ, while a
// repeat of stage 1 (stage 5) trains to the same curve: the difference is the augmentation.
// covers: search.augment, train.augment
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

search augmented {
    data    img.train split 80% / 20%
    epochs  2
    batch   16
    trials  1
    augment crop(padding = 1), flip, cutout(size = 2, p = 0.5)
}

train augmented_full {
    from    augmented top 1
    data    img.train / img.test
    epochs  2
    batch   16
    augment flip(p = 1)
}

search plain_again {
    data   img.train split 80% / 20%
    epochs 2
    batch  16
    trials 1
}
// expect-store: SELECT count(DISTINCT arch_id), count(*) FROM trial WHERE state = 1 => [[1, 5]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') || json_extract(curve, '$[1].train_loss') FROM trial WHERE stage = 1) = (SELECT json_extract(curve, '$[0].train_loss') || json_extract(curve, '$[1].train_loss') FROM trial WHERE stage = 5) => [[1]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 1) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 3) => [[0]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 4) => [[0]]
