// Each setting of a `tune` changes what its trials train: tunes of the best architecture of one
// search, each of one trial whose settings' only decision has one value. `same` repeats `base`
// and gets its first-epoch loss to the last digit; each other differs from `base` in one
// setting and its loss differs (`longer` trains 2 epochs, `half` on half the data). `lr` tunes
// the optimizer's learning rate over two values with `algorithm grid`, 2 trials 2 at a time.
// covers: tune.data, tune.epochs, tune.batch, tune.optimizer, tune.schedule, tune.clip_norm, tune.augment, tune.parallel, tune.seed, tune.trials, tune.algorithm
use std.layers

dataset img {
    format  synthetic(n = 200, seed = 4)
    input   [1, 6, 6]
    classes 2
}

model m(x: tensor[1, 6, 6]) -> tensor[2] {
    return x |> flatten |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

controller { algorithm grid }

search s {
    data   img.train split 50% / 50%
    batch  16
    trials 1
}

tune base {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    trials    1
}

tune same {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    trials    1
}

tune seeded {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    seed      5
    trials    1
}

tune clipped {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    clip_norm 0.01
    trials    1
}

tune augmented {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    augment   flip(p = 1), cutout(size = 3)
    trials    1
}

tune longer {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    epochs    2
    trials    1
}

tune bigger {
    from      s top 1
    data      img.train split 80% / 20%
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    batch     32
    trials    1
}

tune warm {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    schedule  linear_warmup(warmup = 5)
    trials    1
}

tune half {
    from      s top 1
    data      img.train split 50% / 50%
    batch     16
    optimizer sgd(lr = choice lr [0.1], momentum = 0.9)
    trials    1
}

tune lr {
    from      s top 1
    data      img.train split 80% / 20%
    batch     16
    optimizer sgd(lr = choice lr [0.1, 0.5], momentum = 0.9)
    trials    2
    parallel  2
    algorithm grid
}
// expect-store: SELECT count(*) FROM trial WHERE stage >= 2 AND state = 1 => [[11]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 3) => [[1]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 4) => [[0]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 5) => [[0]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 6) => [[0]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 8) => [[0]]
// expect-store: SELECT (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 2) = (SELECT json_extract(curve, '$[0].train_loss') FROM trial WHERE stage = 9) => [[0]]
// expect-store: SELECT json_array_length(curve) FROM trial WHERE stage IN (2, 7) ORDER BY stage => [[1], [2]]
// expect-store: SELECT json_extract(metrics, '$.train_examples') FROM trial WHERE stage IN (2, 10) ORDER BY stage => [[160], [100]]
// expect-store: SELECT count(DISTINCT json_extract(decisions, '$.lr')), count(DISTINCT json_extract(curve, '$[0].train_loss')) FROM trial WHERE stage = 11 => [[2, 2]]
// expect-stderr: [stage 11] tuning
// expect-stderr: 2 trials, 2 in parallel, controller grid
// expect-stderr: 1 trials, 1 in parallel, controller sobol
// expect-stdout: sanity checks (Deep Learning Tuning Playbook)
