// `nasrun --check` under a design with resolutions trains under the cheapest candidate by epochs
// x data x pixels: 1 epoch at 4x4 (a quarter of the pixels) beats 1 epoch at 8x8, and the
// external trainer is told the input to build the model for in NAS_DATA's `input`.
// write: t.sh = "echo \"$NAS_EPOCHS $NAS_DATA\" > check.txt\necho '{\"accuracy\": 0.5}'\n"
use std.layers

dataset d {
    format  synthetic(n = 200, seed = 3)
    input   [1, 8, 8]
    classes 2
}

model m(x: tensor[1, 8, 8]) -> tensor[2] {
    return x |> conv2d(choice w [2, 4], stride = 2) |> relu |> global_avgpool |> dense(2)
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
    reference  3
    epochs     [1]
    resolution [8, 4]
}
// run: {file} --check
// expect-stderr: [check] 5 trials of the proxy task, under the design's cheapest candidate proxy (1 epoch on 100% of the training split, images at 4x4)
// expect-file: check.txt => "input": [1, 4, 4]
