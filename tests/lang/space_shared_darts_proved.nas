// A DARTS-style network (issue 18): one normal and one reduction genotype, 6 edges each over 5
// ops, shared by all its cells (6 normal cells in three stages of widths 16, 32 and 64, two
// reduction cells); each cell reads the two cells before it. 5^12 = 244,140,625 architectures.
// Shared decisions are read where the cells use them, so the whole space is proved in a few
// hundred evaluations (under 0.1 s; it stopped at the 20,000-evaluation budget when every
// cell was walked over every value of all twelve), with exact params and MACs bounds.
// args: {file}
// expect-output: 12 decisions (0 conditional), 244140625 architectures
// expect-output: every architecture type- and shape-checks (proved statically
// expect-output: params:       79626 .. 199818 (exact, whole space)
use std.layers
use std.blocks
let ops = ["sep3", "dil3", "max", "avg", "skip"]
let n1 = choice n1 ops
let n2 = choice n2 ops
let n3 = choice n3 ops
let n4 = choice n4 ops
let n5 = choice n5 ops
let n6 = choice n6 ops
let r1 = choice r1 ops
let r2 = choice r2 ops
let r3 = choice r3 ops
let r4 = choice r4 ops
let r5 = choice r5 ops
let r6 = choice r6 ops
// skip_connect on a strided edge is FactorizedReduce, as in DARTS
block edge(x: tensor, op: string, c: int, stride: int) -> tensor {
    if op == "sep3" { return separable_conv(x, c, stride = stride) }
    if op == "dil3" { return dil_conv(x, c, stride = stride) }
    if op == "max" { return maxpool(x, 3, stride = stride, padding = "same") }
    if op == "avg" { return avgpool(x, 3, stride = stride, padding = "same") }
    if stride == 2 { return factorized_reduce(x, c) }
    return x
}
block normal(s0: tensor, s1: tensor, c: int) -> tensor {
    s0 = conv_bn_relu(s0, c, kernel = 1)
    s1 = conv_bn_relu(s1, c, kernel = 1)
    let a = edge(s0, n1, c, 1) + edge(s1, n2, c, 1)
    let b = edge(s1, n3, c, 1) + edge(a, n4, c, 1)
    let d = edge(a, n5, c, 1) + edge(b, n6, c, 1)
    return concat([a, b, d]) |> conv2d(c, kernel = 1)
}
block reduction(s0: tensor, s1: tensor, c: int) -> tensor {
    s0 = conv_bn_relu(s0, c, kernel = 1)
    s1 = conv_bn_relu(s1, c, kernel = 1)
    let a = edge(s0, r1, c, 2) + edge(s1, r2, c, 2)
    let b = edge(s1, r3, c, 2) + edge(a, r4, c, 1)
    let d = edge(a, r5, c, 1) + edge(b, r6, c, 1)
    return concat([a, b, d]) |> conv2d(c, kernel = 1)
}
model net(x: tensor[3, 32, 32]) -> tensor[10] {
    let s0 = x |> conv2d(16) |> batchnorm
    let s1 = s0
    repeat 2 { let t = normal(s0, s1, 16)  s0 = s1  s1 = t }
    let t = reduction(s0, s1, 32)
    s0 = conv2d(s1, 32, kernel = 1, stride = 2)
    s1 = t
    repeat 2 { let u = normal(s0, s1, 32)  s0 = s1  s1 = u }
    t = reduction(s0, s1, 64)
    s0 = conv2d(s1, 64, kernel = 1, stride = 2)
    s1 = t
    repeat 2 { let v = normal(s0, s1, 64)  s0 = s1  s1 = v }
    return s1 |> global_avgpool |> dense(10)
}
