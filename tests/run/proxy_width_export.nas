// A search trained under a width proxy keeps (--keep-weights) weights of a graph with half the
// filters (conv2d(w) builds w / 2, every w of the space at least 2, so no architecture keeps its
// shape); export and prediction build the full width: the load is refused with the reason and
// what to do instead, never a crash or a model with wrong weights. This also shows stage 1
// trained the narrower graph. A train stage's trial (trained at the full width) exports.
// covers: proxy.width
use std.layers

dataset d {
    format  synthetic(n = 120, seed = 5)
    input   [1, 8, 8]
    classes 4
}

model m(x: tensor[1, 8, 8]) -> tensor[4] {
    return x |> conv2d(choice w [2, 4, 8], stride = 2) |> relu |> flatten |> dense(4)
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
    width      [0.5]
}
// run: {file} --stage 1 --keep-weights
// expect-store: SELECT count(*) FROM trial WHERE stage = 1 AND json_extract(metrics, '$.width') = 0.5 => [[2]]
// run: {file} --export-model {sql:SELECT arch_id FROM trial WHERE stage = 1 ORDER BY seq LIMIT 1} {file}.onnx
// expect-exit: 2
// expect-stderr: (the search may have trained it at a proxy width below 1 (fewer filters in its convolutions), while export and prediction build the declared model
// run: {file} --stage 2
// run: {file} --export-model {sql:SELECT arch_id FROM trial WHERE stage = 2 LIMIT 1} {file}.onnx
