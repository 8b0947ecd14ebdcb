// Two shared decisions whose edges are added: they clash exactly when one downsamples and the
// other does not. The error set must be the brute force's, each counterexample real.
use std.layers
let e1 = choice e1 ["skip", "down"]
let e2 = choice e2 ["skip", "down", "conv"]
block edge(x: tensor, op: string) -> tensor {
    if op == "down" { return maxpool(x, 2) }
    if op == "conv" { return conv2d(x, 8, kernel = 3, padding = "same") }
    return x
}
block cell(x: tensor) -> tensor { return edge(x, e1) + edge(x, e2) }
model net(x: tensor[8, 8, 8]) -> tensor[4] {
    repeat 2 { x = cell(x) }
    return x |> global_avgpool |> dense(4)
}
