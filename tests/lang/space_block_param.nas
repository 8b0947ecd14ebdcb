// Block-typed parameters (issue 18): a DARTS-like cell takes its edge ops as values
// (`op1: block`), applied with `op1(a)` or `b |> op2`; one named list of ops (layers and a
// user block partially applied, `maxpool(3, ...)` with no required argument left) serves
// every edge. 4 edges x 5 ops = 625 architectures, counted by hand.
use std.layers
block sep(x: tensor, c: int, k: int = 3) -> tensor {
    return x |> conv2d(c, kernel = k, groups = c) |> conv2d(c, kernel = 1) |> batchnorm |> relu
}
block node(a: tensor, b: tensor, op1: block, op2: block) -> tensor {
    return op1(a) + (b |> op2)
}
let ops = [sep(c = 4), sep(c = 4, k = 5), maxpool(3, stride = 1, padding = "same"), identity, conv2d(4, kernel = 1)]
block cell(s0: tensor, s1: tensor) -> tensor {
    let n0 = node(s0, s1, choice e0 ops, choice e1 ops)
    let n1 = node(s0, n0, choice e2 ops, choice e3 ops)
    return concat([n0, n1])
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    return cell(x, x) |> global_avgpool |> dense(10)
}
// expect-output: 4 decisions (0 conditional), 625 architectures
// expect-output: every architecture type- and shape-checks (proved statically
