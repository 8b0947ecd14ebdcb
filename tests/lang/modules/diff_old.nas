// The old version of a space, for cli_diff_spaces.nas.
use std.layers
let ops = ["conv3", "conv1", "skip"]
let widths = [8, 16, 32]
block edge(x: tensor, op: string) -> tensor {
    if op == "conv3" { return conv2d(x, 8, kernel = 3, padding = "same") }
    if op == "conv1" { return conv2d(x, 8, kernel = 1) }
    return x
}
model m(x: tensor[8, 8, 8]) -> tensor[4] {
    let a = choice e1 ops
    let b = choice e2 ops
    x = edge(x, a) + edge(x, b)
    return x |> conv2d(choice w widths, kernel = 1) |> global_avgpool |> dense(4)
}
