// The size of syntax_choice_named_list.nas's space: two decisions over the same named list of
// 3 and one over a block-level named list of 3: 27 architectures.
// args: {file}
// expect-output: 3 decisions (0 conditional), 27 architectures
use std.layers
let ops = ["conv3", "conv1", "skip"]
block edge(x: tensor, op: string) -> tensor {
    if op == "conv3" { return conv2d(x, 8, kernel = 3, padding = "same") }
    if op == "conv1" { return conv2d(x, 8, kernel = 1) }
    return x
}
model m(x: tensor[8, 8, 8]) -> tensor[4] {
    let widths = [8, 16, 32]
    x = edge(x, choice e1 ops) + edge(x, choice e2 ops)
    return x |> conv2d(choice w widths, kernel = 1) |> global_avgpool |> dense(4)
}
