// `nasrun --check` runs no proxy design, so with one declared its 5 trials train under the
// design's cheapest candidate (least epochs x data: 1 epoch on 50% here, not the search's own 3
// epochs on all of its split), which the trainer sees in NAS_EPOCHS and NAS_DATA's subset.
// write: t.sh = "echo \"$NAS_EPOCHS $NAS_DATA\" > check.txt\necho '{\"accuracy\": 0.5}'\n"
use std.layers

dataset d {
    format  synthetic(n = 200, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "sh t.sh"

search s {
    data   d.train split 80% / 20%
    epochs 3
    trials 5
}

train full {
    from   s top 1
    data   d.train / d.test
    epochs 4
}

proxy design {
    reference 3
    epochs    [2, 1]
    data      [100%, 50%]
}
// run: {file} --check
// expect-stderr: [check] 5 trials of the proxy task, under the design's cheapest candidate proxy (1 epoch on 50% of the training split)
// expect-stdout: proxy check: 5 trials, 0 failed
// expect-file: check.txt => 1 {
// expect-file: check.txt => "subset": 0.5
