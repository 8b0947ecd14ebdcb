// A DARTS reduction cell (Liu et al. 2019) with std.blocks' dil_conv and factorized_reduce
// (issue 18): every edge from a cell input halves 16x16 to 8x8; the edge ops are dil_conv 3x3
// and 5x5 (dilation 2, stride 2), max pooling with stride 2 and skip_connect, which in a
// reduction cell is factorized_reduce. 4 edges x 4 ops = 256 architectures, counted by hand.
use std.layers
use std.blocks
block node(a: tensor, b: tensor, op1: block, op2: block) -> tensor {
    return op1(a) + (b |> op2)
}
let ops = [dil_conv(8, stride = 2), dil_conv(8, kernel = 5, stride = 2), maxpool(3, stride = 2, padding = "same"),
           factorized_reduce(8)]
block reduction_cell(s0: tensor, s1: tensor) -> tensor {
    let n0 = node(s0, s1, choice e0 ops, choice e1 ops)
    let n1 = node(s0, s1, choice e2 ops, choice e3 ops)
    return concat([n0, n1])
}
model net(x: tensor[3, 16, 16]) -> tensor[10] {
    let s = x |> conv2d(8) |> batchnorm
    return reduction_cell(s, s) |> global_avgpool |> dense(10)
}
// expect-output: 4 decisions (0 conditional), 256 architectures
// expect-output: every architecture type- and shape-checks (proved statically
