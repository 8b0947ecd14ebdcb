// `choice name ops`: the values are the list a `let` holds, so one list serves several
// decisions (each decision its own: e1 and e2 below are independent). It prints back as written.
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
