// The per-architecture count (graph_stats, what a trial reports as `params`) leaves out a
// conv that feeds only `zero`: 2610 params with the conv, 2570 without (hand count in
// graph_zero_branch_params.nas).
// args: --sample 2 --method grid {file}
use std.layers

block edge(x: tensor) -> tensor {
    let op = choice op ["conv", "zero"]
    if op == "conv" { return x |> conv2d(4, kernel = 3) }
    return x |> conv2d(4, kernel = 3) |> zero
}

model net(x: tensor[1, 8, 8]) -> tensor[10] {
    return edge(x) |> flatten |> dense(10)
}
// expect-output: params 2570      MACs 2560        edge[0].op=zero
// expect-output: params 2610      MACs 4864        edge[0].op=conv
