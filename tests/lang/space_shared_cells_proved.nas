// A NAS-Bench-201-like space: one cell of 6 edges (5 operations each) shared by all 15 cells
// of the network, 5^6 = 15,625 architectures. Shared decisions passed to a block are read
// where the block uses them, so the proof takes a few hundred evaluations (it stopped at the
// 20,000-evaluation budget when every cell was walked over every value of all six).
// args: {file}
// expect-output: 15625 architectures
// expect-output: every architecture type- and shape-checks (proved statically, 478 evaluations)
// expect-output: (exact, whole space)
use std.layers
let e1 = choice e1 ["conv3", "conv1", "skip", "pool", "conv5"]
let e2 = choice e2 ["conv3", "conv1", "skip", "pool", "conv5"]
let e3 = choice e3 ["conv3", "conv1", "skip", "pool", "conv5"]
let e4 = choice e4 ["conv3", "conv1", "skip", "pool", "conv5"]
let e5 = choice e5 ["conv3", "conv1", "skip", "pool", "conv5"]
let e6 = choice e6 ["conv3", "conv1", "skip", "pool", "conv5"]
block edge(x: tensor, op: string, c: int) -> tensor {
    if op == "conv3" { return x |> relu |> conv2d(c, kernel = 3, padding = "same") |> batchnorm }
    if op == "conv1" { return x |> relu |> conv2d(c, kernel = 1) |> batchnorm }
    if op == "conv5" { return x |> relu |> conv2d(c, kernel = 5, padding = "same") |> batchnorm }
    if op == "pool" { return avgpool(x, size = 3, stride = 1, padding = "same") }
    return x
}
block cell(x: tensor, c: int) -> tensor {
    let n1 = edge(x, e1, c)
    let n2 = edge(x, e2, c) + edge(n1, e3, c)
    return edge(x, e4, c) + edge(n1, e5, c) + edge(n2, e6, c)
}
model net(x: tensor[1, 28, 28]) -> tensor[10] {
    x = conv2d(x, 16, kernel = 3, padding = "same")
    repeat 5 { x = cell(x, 16) }
    x = conv2d(x, 32, kernel = 3, stride = 2, padding = "same")
    repeat 5 { x = cell(x, 32) }
    x = conv2d(x, 64, kernel = 3, stride = 2, padding = "same")
    repeat 5 { x = cell(x, 64) }
    return x |> global_avgpool |> dense(10)
}
