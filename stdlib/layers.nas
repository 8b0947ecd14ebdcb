// std.layers — signatures of the built-in layers. The graph phase implements them; nasc
// checks every call (arity, keyword names, argument types) against these declarations.
// Every layer takes its input tensor first, so `x |> conv2d(32)` is `conv2d(x, 32)`.

// Convolutions. padding: "same" keeps the spatial size (for stride 1), "valid" adds none.
// dilation: the kernel's taps are `dilation` apart, so a kernel k spans (k - 1) * dilation + 1
// pixels with k * k weights ("same" pads (k - 1) * dilation / 2 on each side).
extern block conv2d(x: tensor, filters: int, kernel: int = 3, stride: int = 1,
                    padding: string = "same", groups: int = 1, bias: bool = true,
                    dilation: int = 1) -> tensor
// One filter per input channel (times multiplier): channels stay the same when multiplier = 1.
extern block depthwise_conv2d(x: tensor, kernel: int = 3, stride: int = 1,
                              padding: string = "same", multiplier: int = 1, bias: bool = false,
                              dilation: int = 1) -> tensor
// A 1x1 convolution: mixes channels only.
extern block pointwise(x: tensor, filters: int, bias: bool = true) -> tensor
// Fully connected over the last dimension (flatten first for images).
extern block dense(x: tensor, units: int, bias: bool = true) -> tensor

// Normalisation and activations (shape-preserving).
extern block batchnorm(x: tensor, momentum: float = 0.1, eps: float = 1e-5) -> tensor
extern block relu(x: tensor) -> tensor
extern block relu6(x: tensor) -> tensor
extern block swish(x: tensor) -> tensor
extern block gelu(x: tensor) -> tensor
extern block sigmoid(x: tensor) -> tensor
extern block tanh(x: tensor) -> tensor

// Pooling. stride = 0 means "the same as size".
extern block maxpool(x: tensor, size: int = 2, stride: int = 0, padding: string = "valid") -> tensor
extern block avgpool(x: tensor, size: int = 2, stride: int = 0, padding: string = "valid") -> tensor
// [C, H, W] -> [C]
extern block global_avgpool(x: tensor) -> tensor
// [d1, d2, ...] -> [d1 * d2 * ...]
extern block flatten(x: tensor) -> tensor
// [C, H, W] -> [C, H - above - below, W - left - right]: drops rows and columns at the borders
// (`top` is a keyword). crop(above = 1, left = 1) is the one-pixel shift of DARTS'
// FactorizedReduce, x[:, :, 1:, 1:].
extern block crop(x: tensor, above: int = 0, left: int = 0, below: int = 0, right: int = 0) -> tensor
// rate: the fraction of activations zeroed during training (0.2 or 20%).
extern block dropout(x: tensor, rate: float) -> tensor

// Graph plumbing: identity passes its input on; zero outputs zeros of the same shape
// (a skipped edge in a cell); add and multiply are elementwise (multiply broadcasts a
// [C] gate over [C, H, W]); concat joins along channels; sum adds a list elementwise.
extern block identity(x: tensor) -> tensor
extern block zero(x: tensor) -> tensor
extern block add(x: tensor, y: tensor) -> tensor
extern block multiply(x: tensor, gate: tensor) -> tensor
extern block concat(xs: list) -> tensor
extern block sum(xs: list) -> tensor

// Squeeze-and-excitation: global_avgpool -> dense(C * ratio) -> relu -> dense(C) -> sigmoid,
// then multiply the input by the gate. One layer, so the graph phase can fuse it.
extern block squeeze_excite(x: tensor, ratio: float = 0.25) -> tensor
