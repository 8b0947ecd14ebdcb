// Stages run in file order, so a train cannot come before the search it trains from: nasrun
// says so at the `from`, before any trial.
use std.layers

dataset blobs {
    format  synthetic(n = 200, seed = 4)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

train early {
    from   s top 1
    data   blobs.train
}

search s {
    data   blobs.train split 50% / 50%
    trials 2
}

// expect-exit: 1
// expect-stderr: train_before_search.nas:18:12: error: train `early` trains the best of search `s`, which comes after it in the file
