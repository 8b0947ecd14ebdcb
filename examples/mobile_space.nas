// examples/mobile_space.nas — an MNasNet-like space from std.blocks: MBConv stages with
// searched expansion, kernel and squeeze-excite, decided repeat counts, a subset of skip
// inputs, a choice of head, and optional dropout with a log-scale rate. Two objectives
// (accuracy up, latency down) with reference points give a Pareto front. An external
// trainer does the training: it reads the architecture from $NAS_ARCH_FILE and prints its
// metrics.
use std.layers
use std.blocks

dataset images {
    format  synthetic(n = 5000, seed = 3)
    input   [3, 32, 32]
    classes 10
}

let base = choice base 16 .. 24 step 8  // shared: one width for the whole network

// A stage: one MBConv (strided when `stride` is 2), then 0 to 2 more at stride 1. The
// repeated layers share the stage's decisions; the repeat count is decided per stage.
block mb_stage(x: tensor, c: int, stride: int) -> tensor {
    let e  = choice expansion [1, 3, 6]
    let k  = choice kernel [3, 5, 7]
    let se = choice se bool
    x = mbconv(x, c, expansion = e, kernel = k, stride = stride, se = se)
    repeat choice extra 0 .. 2 {
        x = mbconv(x, c, expansion = e, kernel = k, se = se)
    }
    return x
}

model mobile(x: tensor[3, 32, 32]) -> tensor[10] {
    let stem = conv2d(x, base, kernel = 3) |> batchnorm |> relu
    let a = mb_stage(stem, base, 1)
    let b = mb_stage(a, base, 1)
    let c = mb_stage(b, base, 1)
    let picked = choice skips 2 of [stem, a, b, c]      // NNI's InputChoice
    x = conv2d(concat(picked), base, kernel = 1)
    x = mb_stage(x, base * 2, 2)
    x = mb_stage(x, base * 4, 2)
    x = oneof head [
        global_avgpool(x),
        x |> conv2d(base * 8, kernel = 1) |> relu |> global_avgpool
    ]
    if choice regularize bool {
        x = dropout(x, choice drop 0.05 .. 0.4 log)   // exists only when regularize is true
    } else {
        x = identity(x)
    }
    return dense(x, 10)
}

reward {
    maximize accuracy ref 0.5
    minimize latency ref 20ms
    subject to params <= 3M hard
    report params, flops, memory
}

controller {
    algorithm reinforce
    seed      11
}


trainer external {
    exec    "python3 train_mobile.py --arch $NAS_ARCH_FILE"
    timeout 30min
}

search stage1 {
    data       images.train split 90% / 10%
    epochs     2
    batch      128
    optimizer  sgd(lr = 0.1, momentum = 0.9)
    schedule   cosine(warmup = 100)
    trials     300
    parallel   4
    max_failed 100
    stop when  converged(window = 50) or failed > 20%
    time_limit 6h
}

train stage2 {
    from      stage1 top 5
    data      images.train / images.test
    epochs    30
    batch     128
    optimizer sgd(lr = 0.1, momentum = 0.9)
    schedule  cosine(warmup = 500)
}
