// §5: block instances as a subset's elements, each with a decision and a branch on a shape
// that follows it: 1 (element 0) + 2 + 2 (elements 1 and 2, each its u) = 5 architectures,
// every one shape-checked and built.
// expect-output: 3 decisions (2 conditional), 5 architectures
// expect-output: instantiated all 5 architectures: 5 build
use std.layers
block b(x: tensor) -> tensor {
    let y = dense(x, choice u [4, 8])
    if y.channels == 4 { return y |> dense(8) }
    return y |> dense(y.channels * 2) |> dense(8)
}
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 1 of [dense(x, 8), b(x), b(x)]
    return p[0] |> dense(2)
}
