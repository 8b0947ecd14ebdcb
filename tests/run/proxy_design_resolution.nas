// Proxy-task design over image resolution with the built-in trainer: the one candidate trains
// the 3 references on the search's images resized from 8x8 to 4x4 (area averaging), its graph
// built for [1, 4, 4]; the full training stays at 8x8. The table has a resolution column, stage
// 1 says it trains at 4x4 and does (the trials' `resolution`), stage 2 trains at the full 8x8,
// and the params every trial reports are the full-resolution graph's: the dense layer after
// `flatten` has 4 times fewer weights at 4x4 than at 8x8, but a candidate reports the same
// params as the reference. nasc refusing a resolution at which an architecture does not
// build: tests/lang/space_proxy_resolution_build.nas.
// covers: proxy.resolution
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
    reference  3
    epochs     [1]
    resolution [4]
    keep when  correlation > 2
}
// run: {file}
// expect-stdout: epochs   data resolution  kendall
// expect-stdout: 4x4
// expect-stderr: [stage 1] search s, under the proxy chosen by the design (1 epoch on 100% of the training split, images at 4x4;
// expect-store: SELECT stage, count(*), min(json_extract(metrics, '$.resolution')), max(json_extract(metrics, '$.resolution')) FROM trial GROUP BY stage ORDER BY stage => [[-2, 3, 4, 4], [-1, 3, 8, 8], [1, 2, 4, 4], [2, 1, 8, 8]]
// expect-store: SELECT count(*) FROM trial a JOIN trial b ON a.arch_id = b.arch_id WHERE a.stage = -2 AND b.stage = -1 AND json_extract(a.metrics, '$.params') = json_extract(b.metrics, '$.params') => [[3]]
// The design is a function of the stored trials: a later run trains nothing of it again and
// stage 1 is still under the 4x4 candidate.
// run: {file} --stage 1
// expect-stderr: under the proxy chosen by the design (1 epoch on 100% of the training split, images at 4x4;
// expect-not: [design] proxy design
// expect-store: SELECT count(*) FROM trial WHERE stage < 0 => [[6]]
