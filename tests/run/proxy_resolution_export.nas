// A search trained under a resolution proxy keeps (--keep-weights) weights of a 4x4 graph; export
// and prediction build the declared 8x8 input, where the dense layer after `flatten` is 4 times
// larger: the load is refused with the reason and what to do instead, never a crash or a model
// with wrong weights. A train stage's trial (trained at the full resolution) exports.
// covers: proxy.resolution
use std.layers

dataset d {
    format  synthetic(n = 120, seed = 5)
    input   [1, 8, 8]
    classes 4
}

model m(x: tensor[1, 8, 8]) -> tensor[4] {
    return x |> conv2d(choice w [1, 2, 4, 8], stride = 2) |> relu |> flatten |> dense(4)
}

reward { maximize accuracy }

search s {
    data   d.train split 80% / 20%
    batch  16
    trials 2
}

train full {
    from   s top 1
    data   d.train / d.test
    epochs 1
    batch  16
}

proxy design {
    reference  3
    epochs     [1]
    resolution [4]
}
// run: {file} --stage 1 --keep-weights
// expect-store: SELECT count(*) FROM trial WHERE stage = 1 AND json_extract(metrics, '$.resolution') = 4 => [[2]]
// run: {file} --export-model {sql:SELECT arch_id FROM trial WHERE stage = 1 ORDER BY seq LIMIT 1} {file}.onnx
// expect-exit: 2
// expect-stderr: its shape is not the architecture's (the search may have trained it at a proxy resolution below the declared input
// run: {file} --stage 2
// run: {file} --export-model {sql:SELECT arch_id FROM trial WHERE stage = 2 LIMIT 1} {file}.onnx
