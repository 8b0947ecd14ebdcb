// A decided callable: the alternatives share one call site but each is its own instance
// (params and MACs differ; only b has a decision of its own, and one of its values fails).
use std.layers
block a(x: tensor, n: int) -> tensor { return x |> dense(n) |> dense(8) }
block b(x: tensor, n: int) -> tensor {
    let y = x |> dense(n) |> relu |> dense(n) |> relu |> dense(choice w [4, 8])
    return y + x
}
model m(x: tensor[8]) -> tensor[2] { return x |> choice op [a, b](4) |> dense(2) }
