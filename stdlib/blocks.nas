// std.blocks — common blocks written in nas itself, checked by nasc like any user code.
use std.layers

// Convolution, batch norm, ReLU: the basic CNN unit.
block conv_bn_relu(x: tensor, filters: int, kernel: int = 3, stride: int = 1) -> tensor {
    return x |> conv2d(filters, kernel = kernel, stride = stride, bias = false) |> batchnorm |> relu
}

// A ResNet basic block: two kernel x kernel convolutions. project: add a 1x1 convolution on
// the shortcut (needed when the stride or the channel count changes). se: a
// squeeze-and-excitation on the residual branch before the addition (SE-ResNet, Hu et al. 2018).
block residual(x: tensor, filters: int, stride: int = 1, project: bool = true, kernel: int = 3,
               se: bool = false) -> tensor {
    let y = x |> conv_bn_relu(filters, kernel = kernel, stride = stride)
              |> conv2d(filters, kernel = kernel, bias = false) |> batchnorm
    if se {
        y = y |> squeeze_excite(ratio = 0.25)
    }
    let shortcut = x
    if project {
        shortcut = x |> conv2d(filters, kernel = 1, stride = stride, bias = false) |> batchnorm
    }
    return relu(y + shortcut)
}

// Depthwise separable convolution (MobileNet v1).
block separable_conv(x: tensor, filters: int, kernel: int = 3, stride: int = 1) -> tensor {
    return x |> depthwise_conv2d(kernel = kernel, stride = stride) |> batchnorm |> relu
             |> pointwise(filters, bias = false) |> batchnorm |> relu
}

// MobileNet v2 / MnasNet inverted residual: expand with a 1x1, depthwise k x k, optional
// squeeze-and-excitation, project with a 1x1; a skip when the shape is unchanged. The
// expansion width is the input's channel count (x.channels) times `expansion`.
block mbconv(x: tensor, filters: int, expansion: int = 6, kernel: int = 3, stride: int = 1,
             se: bool = false) -> tensor {
    let y = x
    if expansion != 1 {
        y = y |> pointwise(x.channels * expansion, bias = false) |> batchnorm |> relu6
    }
    y = y |> depthwise_conv2d(kernel = kernel, stride = stride) |> batchnorm |> relu6
    if se {
        y = y |> squeeze_excite(ratio = 0.25)
    }
    y = y |> pointwise(filters, bias = false) |> batchnorm
    if stride == 1 and x.channels == filters {
        y = y + x
    }
    return y
}

// The MobileNet v2 inverted bottleneck: an mbconv with a 3x3 kernel and no SE.
block inverted_bottleneck(x: tensor, filters: int, expansion: int = 6, stride: int = 1) -> tensor {
    return mbconv(x, filters, expansion = expansion, kernel = 3, stride = stride)
}

// DARTS' dilated convolution (dil_conv_3x3 / dil_conv_5x5, Liu et al. 2019): ReLU, a depthwise
// kernel x kernel convolution with its taps `dilation` apart (a 3x3 at dilation 2 sees 5x5),
// a 1x1 to `filters`, batch norm.
block dil_conv(x: tensor, filters: int, kernel: int = 3, stride: int = 1, dilation: int = 2) -> tensor {
    return x |> relu |> depthwise_conv2d(kernel = kernel, stride = stride, dilation = dilation)
             |> pointwise(filters, bias = false) |> batchnorm
}

// DARTS / ENAS FactorizedReduce: halves the height and width without losing every other pixel.
// Two 1x1 stride-2 convolutions of relu(x), the second on x shifted by one pixel (its first row
// and column cropped, x[:, :, 1:, 1:]), each to filters / 2 channels, concatenated, then batch
// norm. As in DARTS, `filters` must be even (an odd one is NAS0901 at the first conv2d) and so
// must the height and width (else the halves differ in size: NAS0901 at the concat).
block factorized_reduce(x: tensor, filters: int) -> tensor {
    let y = relu(x)
    let a = y |> conv2d(filters / 2, kernel = 1, stride = 2, bias = false)
    let b = y |> crop(above = 1, left = 1) |> conv2d(filters / 2, kernel = 1, stride = 2, bias = false)
    return concat([a, b]) |> batchnorm
}
