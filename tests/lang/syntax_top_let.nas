// Top-level `let` (§3.6): a shared decision seen by every use, and constants.
use std.layers

let base = 16
let width = choice [16, 32]
let ratio = base * 2 + 1

block a(x: tensor) -> tensor { return conv2d(x, width) }
block b(x: tensor) -> tensor { return conv2d(x, width + base) }

model net(x: tensor[3, 32, 32]) -> tensor[10] {
    x = a(x)
    x = b(x)
    return x |> global_avgpool |> dense(10)
}
