// A cell whose 4 edge operations are shared by all 6 cells (two stages of widths 8 and 16):
// 3^4 = 81 architectures. The factored pass proves it; its bounds must be the brute force's.
use std.layers
let e1 = choice e1 ["conv3", "conv1", "skip"]
let e2 = choice e2 ["conv3", "conv1", "skip"]
let e3 = choice e3 ["conv3", "conv1", "skip"]
let e4 = choice e4 ["conv3", "conv1", "skip"]
block edge(x: tensor, op: string, c: int) -> tensor {
    if op == "conv3" { return x |> relu |> conv2d(c, kernel = 3, padding = "same") }
    if op == "conv1" { return x |> relu |> conv2d(c, kernel = 1) }
    return x
}
block cell(x: tensor, c: int) -> tensor {
    let n1 = edge(x, e1, c)
    let n2 = edge(x, e2, c) + edge(n1, e3, c)
    return n2 + edge(n1, e4, c)
}
model net(x: tensor[8, 8, 8]) -> tensor[4] {
    repeat 3 { x = cell(x, 8) }
    x = conv2d(x, 16, kernel = 1)
    repeat 3 { x = cell(x, 16) }
    return x |> global_avgpool |> dense(4)
}
