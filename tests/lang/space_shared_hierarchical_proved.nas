// A 7-block hierarchical space (MnasNet-like, issue 18) whose expansion, kernel and
// squeeze-and-excitation are shared by every block, each block deciding its op, width skew and
// layer count: 55,037,657,088 architectures. Shared decisions are read where the blocks use
// them, so the whole space is proved in a few thousand evaluations (0.2 s; it stopped at the
// 20,000-evaluation budget when every block was walked over every value of the shared three),
// with exact params and MACs bounds.
// args: {file}
// expect-output: 24 decisions (0 conditional), 55037657088 architectures
// expect-output: every architecture type- and shape-checks (proved statically
// expect-output: params:       376682 .. 24723362 (24.7M) (exact, whole space)
use std.layers
use std.blocks
let e = choice expansion [1, 3, 6]
let k = choice kernel [3, 5]
let se = choice se bool
block stage(x: tensor, c: int, stride: int) -> tensor {
    let out = c * choice skew [3, 4, 5] / 4
    x = oneof op [
        mbconv(x, out, expansion = e, kernel = k, stride = stride, se = se),
        separable_conv(x, out, kernel = k, stride = stride)
    ]
    repeat choice extra 0 .. 3 { x = mbconv(x, out, expansion = e, kernel = k, se = se) }
    return x
}
model m(x: tensor[3, 32, 32]) -> tensor[10] {
    x = x |> conv2d(32, kernel = 3, stride = 2, bias = false) |> batchnorm |> relu6
    x = stage(x, 16, 1)
    x = stage(x, 24, 2)
    x = stage(x, 40, 2)
    x = stage(x, 80, 2)
    x = stage(x, 112, 1)
    x = stage(x, 160, 2)
    x = stage(x, 320, 1)
    return x |> pointwise(1280) |> batchnorm |> relu6 |> global_avgpool |> dense(10)
}
