// The space of tests/bench/feasible_bench.c: five stages of fixed widths, each with 1-3
// inverted-bottleneck blocks (expansion 1/2/4, kernel 3/5) and an optional squeeze-excite:
// 516^5 ~ 3.7e13 architectures. The hard constraint leaves about 1% of them.
use std.layers
block mb(x: tensor, c: int) -> tensor {
    let e = choice expand [1, 2, 4]
    let y = x |> conv2d(c * e, kernel = 1) |> relu |> conv2d(c, kernel = choice kernel [3, 5])
    return x + y
}
block stage(x: tensor, c: int) -> tensor {
    x = conv2d(x, c, kernel = 1)
    repeat choice depth [1, 2, 3] { x = mb(x, c) }
    if choice se bool { x = squeeze_excite(x) }
    return maxpool(x, 2)
}
model net(x: tensor[3, 32, 32]) -> tensor[10] {
    x = stage(x, 8)
    x = stage(x, 16)
    x = stage(x, 24)
    x = stage(x, 32)
    x = stage(x, 48)
    return x |> global_avgpool |> dense(10)
}
