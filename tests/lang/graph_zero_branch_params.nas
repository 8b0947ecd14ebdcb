// A layer whose result reaches the output only through `zero` does not count in params or
// MACs (issue 18). Worked out by hand, input [1, 8, 8]:
//   conv 3x3 1->4 same: 4*9 + 4 = 40 params, 4*8*8*9 = 2304 MACs
//   dense 256->10: 2570 params, 2560 MACs
//   op=conv: 2610 params, 4864 MACs; op=zero: the conv feeds only `zero`: 2570, 2560
use std.layers

block edge(x: tensor) -> tensor {
    let op = choice op ["conv", "zero"]
    if op == "conv" { return x |> conv2d(4, kernel = 3) }
    return x |> conv2d(4, kernel = 3) |> zero
}

model net(x: tensor[1, 8, 8]) -> tensor[10] {
    return edge(x) |> flatten |> dense(10)
}
// expect-output: params:       2570 .. 2610 (exact, whole space)
// expect-output: MACs:         2560 .. 4864 at batch 1 (exact, whole space)
// with op=zero the model's result does not depend on its input: warned at the flatten
// expect: warning NAS0902 at 15:23
// expect: note at 15:23
