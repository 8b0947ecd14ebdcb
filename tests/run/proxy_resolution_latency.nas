// A reward that reads `latency` with a resolution proxy: a trial trained at 8x8 reports the
// latency of the architecture's full-resolution (64x64) graph, measured on that graph, not of
// the small graph it trained (about 64 times fewer MACs). Each candidate trial's latency is
// compared with the same architecture's reference trial (trained and measured at 64x64), and
// each stage-1 trial's with stage 2's: a small graph's figure would be a few times smaller.
// covers: proxy.resolution
use std.layers

dataset d {
    format  synthetic(n = 120, seed = 2)
    input   [1, 64, 64]
    classes 2
}

model m(x: tensor[1, 64, 64]) -> tensor[2] {
    return x |> conv2d(choice w [4, 6, 8]) |> relu |> conv2d(8) |> relu |> global_avgpool |> dense(2)
}

reward {
    maximize accuracy
    subject to latency <= 100ms soft(weight = -0.07)
}

search s {
    data   d.train split 75% / 25%
    batch  8
    trials 2
}

train full {
    from   s top 1
    data   d.train / d.test
    epochs 1
    batch  8
}

proxy design {
    reference  3
    epochs     [1]
    resolution [8]
    keep when  correlation > 2
}
// run: {file} --threads 1
// expect-stderr: images at 8x8
// expect-store: SELECT count(*), min(json_extract(c.metrics, '$.latency') > 0.25 * json_extract(f.metrics, '$.latency')) FROM trial c JOIN trial f ON c.arch_id = f.arch_id WHERE c.stage = -2 AND f.stage = -1 => [[3, 1]]
// expect-store: SELECT min(json_extract(a.metrics, '$.latency') > 0.25 * json_extract(b.metrics, '$.latency')) FROM trial a JOIN trial b ON a.arch_id = b.arch_id WHERE a.stage = 1 AND b.stage = 2 AND a.state = 1 => [[1]]
