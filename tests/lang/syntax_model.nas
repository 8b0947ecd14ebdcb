// `model` (§3.4): a static input shape, a result shape, blocks called inside.
use std.layers

block stage(x: tensor, c: int) -> tensor {
    let k = choice kernel [3, 5]
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu |> maxpool(2)
}

model net(x: tensor[1, 28, 28]) -> tensor[10] {
    let width = choice width [16, 24, 32, 48]
    x = stage(x, width)
    x = stage(x, width * 2)
    x = global_avgpool(x)
    return dense(x, 10)
}
