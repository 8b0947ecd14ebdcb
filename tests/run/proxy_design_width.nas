// Proxy-task design over width multipliers with the built-in trainer: the one candidate trains
// the 3 references with half the filters of every conv2d (conv2d(8) builds 4, conv2d(1) builds
// max(1, round(0.5)) = 1); the classifier dense(4) keeps its 4 classes. The table has a width
// column, stage 1 says it trains at width 0.5 and does (the trials' `width`), stage 2 trains at
// the full width, and the params every trial reports are the full-width graph's: a candidate
// reports the same params as the reference. nasc refusing a width at which an architecture
// does not build: tests/lang/space_proxy_width_build.nas.
// covers: proxy.width
use std.layers

dataset d {
    format  synthetic(n = 200, seed = 3)
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
    epochs 2
    batch  16
}

proxy design {
    reference 3
    epochs    [1]
    width     [0.5]
    keep when correlation > 2
}
// run: {file}
// expect-stdout: epochs   data width  kendall
// expect-stdout: 1   100%   0.5
// expect-stderr: [stage 1] search s, under the proxy chosen by the design (1 epoch on 100% of the training split, width 0.5;
// expect-store: SELECT stage, count(*), min(json_extract(metrics, '$.width')), max(json_extract(metrics, '$.width')) FROM trial GROUP BY stage ORDER BY stage => [[-2, 3, 0.5, 0.5], [-1, 3, 1, 1], [1, 2, 0.5, 0.5], [2, 1, 1, 1]]
// expect-store: SELECT count(*) FROM trial a JOIN trial b ON a.arch_id = b.arch_id WHERE a.stage = -2 AND b.stage = -1 AND json_extract(a.metrics, '$.params') = json_extract(b.metrics, '$.params') => [[3]]
// The design is a function of the stored trials: a later run trains nothing of it again and
// stage 1 is still under the width-0.5 candidate.
// run: {file} --stage 1
// expect-stderr: under the proxy chosen by the design (1 epoch on 100% of the training split, width 0.5;
// expect-not: [design] proxy design
// expect-store: SELECT count(*) FROM trial WHERE stage < 0 => [[6]]
