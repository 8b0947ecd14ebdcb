// A decided callable counts every alternative: op = a has 94 params, op = b 114.
// expect-output: params:       94 .. 114 (exact, whole space)
// expect-output: MACs:         80 .. 96 at batch 1 (exact, whole space)
use std.layers
block a(x: tensor, n: int) -> tensor { return x |> dense(n) |> dense(8) }
block b(x: tensor, n: int) -> tensor { return x |> dense(n) |> relu |> dense(n) |> relu |> dense(8) }
model m(x: tensor[8]) -> tensor[2] { return x |> choice op [a, b](4) |> dense(2) }
