// Parameter types (§3.4): int, float, bool, string, tensor, tensor[dims] with constant dims.
use std.layers

let side = 28

block typed(x: tensor, n: int, f: float = 0.5, on: bool = true, tag: string = "t") -> tensor {
    return x
}

model shaped(x: tensor[1, side, side]) -> tensor[2 * 5] {
    x = typed(x, 3)
    x = typed(x, 3, 0.25, false, "u")
    return x |> flatten |> dense(10)
}
