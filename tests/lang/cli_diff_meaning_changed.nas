// `nasc --diff`: the same decisions and values, but `conv3` now has no bias: the 15 old
// architectures that use it keep their values yet build another network, so they are not
// carried over; the 12 that do not are, under the same IDs.
// args: --diff {dir}/modules/diff_old.nas {file}
// expect-output: (the same decisions with the same values)
// expect-output: 14BF -> 14BF
// expect-output: 12 of the old space's 27 are architectures of the new one (same values, same graph); 15 more keep their values but build another network
use std.layers
let ops = ["conv3", "conv1", "skip"]
let widths = [8, 16, 32]
block edge(x: tensor, op: string) -> tensor {
    if op == "conv3" { return conv2d(x, 8, kernel = 3, padding = "same", bias = false) }
    if op == "conv1" { return conv2d(x, 8, kernel = 1) }
    return x
}
model m(x: tensor[8, 8, 8]) -> tensor[4] {
    let a = choice e1 ops
    let b = choice e2 ops
    x = edge(x, a) + edge(x, b)
    return x |> conv2d(choice w widths, kernel = 1) |> global_avgpool |> dense(4)
}
