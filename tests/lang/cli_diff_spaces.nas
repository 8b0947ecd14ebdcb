// `nasc --diff OLD NEW`: the decisions changed (an op replaced, a width added), and the old
// architectures that are still architectures of this file: e1, e2 in {conv3, skip} and any
// old width, 2 x 2 x 3 = 12 of 27, each with its ID here.
// args: --diff {dir}/modules/diff_old.nas {file}
// expect-output: changed  e1: [conv3, conv1, skip] -> [conv3, skip, conv5]
// expect-output: changed  w: [8, 16, 32] -> [8, 16, 32, 64]
// expect-output: architectures: 12 of the old space's 27 are architectures of the new one (same values, same graph)
use std.layers
let ops = ["conv3", "skip", "conv5"]
let widths = [8, 16, 32, 64]
block edge(x: tensor, op: string) -> tensor {
    if op == "conv3" { return conv2d(x, 8, kernel = 3, padding = "same") }
    if op == "conv5" { return conv2d(x, 8, kernel = 5, padding = "same") }
    return x
}
model m(x: tensor[8, 8, 8]) -> tensor[4] {
    let a = choice e1 ops
    let b = choice e2 ops
    x = edge(x, a) + edge(x, b)
    return x |> conv2d(choice w widths, kernel = 1) |> global_avgpool |> dense(4)
}
