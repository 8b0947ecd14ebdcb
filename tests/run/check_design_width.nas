// `nasrun --check` under a design with resolutions and widths (their cross product) trains
// under the cheapest candidate by epochs x data x pixels x width^2: 1 epoch at 4x4 and width
// 0.5 beats the same at width 1 and either at 8x8, and the external trainer is told the input
// to build the model for in NAS_DATA's `input` and the width to scale its convolutions' filters
// by in `width`.
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
    width      [1, 0.5]
}
// run: {file} --check
// expect-stderr: [check] 5 trials of the proxy task, under the design's cheapest candidate proxy (1 epoch on 100% of the training split, images at 4x4, width 0.5)
// expect-file: check.txt => "input": [1, 4, 4], "width": 0.5
