// std.spaces.mnasnet — the MnasNet factorized hierarchical space (Tan et al. 2019, sec. 4):
// the paper's seven blocks, the first fixed to MnasNet-A1's (a separable conv to 16
// channels), the other six each searching its own block op (MBConv expansion 1/3/6 or a
// separable conv), kernel 3/5, squeeze-and-excitation, layer count and a filter-size skew of
// the stage's base width. Layers inside a stage share these decisions. Use:
// `return mnasnet_space(x, 10)` in a model whose input has 3 channels.
use std.layers
use std.blocks

// One stage: c output channels (before the searched skew); the input's come from x.
block mnasnet_stage(x: tensor, c: int, stride: int) -> tensor {
    let out = c * choice skew [3, 4, 5] / 4             // MnasNet's filter-size ratios 0.75, 1, 1.25
    let e = choice expansion [1, 3, 6]
    let k = choice kernel [3, 5]
    let se = choice se bool
    x = oneof op [
        mbconv(x, out, expansion = e, kernel = k, stride = stride, se = se),
        separable_conv(x, out, kernel = k, stride = stride)
    ]
    repeat choice extra_layers 0 .. 3 {
        x = mbconv(x, out, expansion = e, kernel = k, se = se)
    }
    return x
}

block mnasnet_space(x: tensor, classes: int) -> tensor {
    x = x |> conv2d(32, kernel = 3, stride = 2, bias = false) |> batchnorm |> relu6
    x = separable_conv(x, 16)
    // Each stage expands its input by its real width (x.channels in mbconv): the previous
    // stage's base width times that stage's decided skew.
    x = mnasnet_stage(x, 24, 2)
    x = mnasnet_stage(x, 40, 2)
    x = mnasnet_stage(x, 80, 2)
    x = mnasnet_stage(x, 112, 1)
    x = mnasnet_stage(x, 160, 2)
    x = mnasnet_stage(x, 320, 1)
    x = x |> pointwise(1280) |> batchnorm |> relu6 |> global_avgpool
    return dense(x, classes)
}
