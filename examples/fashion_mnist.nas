// examples/fashion_mnist.nas — a small-CNN search for Fashion-MNIST (IDX gz, Debian package
// dataset-fashion-mnist). Kernels, widths, depths, skip connections and the pooling are
// searched by evolution; the reward is accuracy with an MNasNet soft latency constraint.
// Stage 1 trains each candidate for 1 epoch on 90% of the training set (the proxy task);
// stage 2 retrains the 10 best for 5 epochs. Every candidate has fewer than 60k
// parameters and under 5M multiply-adds (a stem halves the image first), so the whole
// pipeline fits in about 30 minutes on 2 CPU cores (measured: see the closing note of the
// nasrun issue and README).
use std.layers

dataset fashion {
    format    idx
    path      "/usr/share/datasets/fashion-mnist"
    input     [1, 28, 28]
    classes   10
    normalize mean(0.2860), std(0.3530)
}

block conv_bn(x: tensor, c: int, k: int) -> tensor {
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu
}

// One stage: 1 or 2 convolutions with a searched kernel, an optional 1x1 skip
// connection, then max or average pooling. Each call is its own instance, so each
// stage decides its kernel, depth, skip and pooling separately.
block stage(x: tensor, c: int) -> tensor {
    let k     = choice kernel [3, 5]
    let depth = choice depth 1 .. 2
    let y = x
    repeat depth { y = conv_bn(y, c, k) }
    if choice skip bool { y = y + conv2d(x, c, kernel = 1) }
    return y |> choice pool [maxpool(2), avgpool(2)]
}

model net(x: tensor[1, 28, 28]) -> tensor[10] {
    let width = choice width [8, 12, 16]
    x = conv_bn(x, width, 3) |> maxpool(2)      // stem: 28x28 -> 14x14 keeps trials cheap
    x = stage(x, width)
    x = stage(x, width * 2)
    x = oneof head [global_avgpool(x), flatten(x)]
    return dense(x, 10)
}

reward {
    maximize accuracy
    subject to latency <= 200us soft(weight = -0.07) // acc * (latency / 0.2ms)^-0.07
    subject to params <= 200K hard
    report params, flops, memory
}

controller {
    algorithm evolution(population = 8, sample = 3)
    seed      7
}

search stage1 {
    data       fashion.train split 90% / 10%
    epochs     1
    batch      128
    optimizer  sgd(lr = 0.05, momentum = 0.9)
    schedule   cosine(warmup = 50)
    trials     40
    parallel   2
    max_failed 13
    stop when  converged(window = 20) or failed > 30%
    time_limit 20min
}

train stage2 {
    from      stage1 top 10
    data      fashion.train / fashion.test
    parallel  2
    epochs    5
    batch     128
    optimizer sgd(lr = 0.05, momentum = 0.9)
    schedule  cosine(warmup = 100)
}
