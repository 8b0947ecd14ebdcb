// `decisions` of a trainer names top-level lets that hold a decision; anything else is an
// error at its place.
let lr = choice learning_rate 1e-4 .. 1e-2 log
let fixed = 0.1

use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let inner = choice [1, 2]
    return x |> dense(4) |> relu |> dense(2)
}

trainer custom {
    exec      "python3 train.py"
    decisions [lr, fixed, 3, net]
    // expect: error NAS0604 at 14:20
    // expect: error NAS0604 at 14:27
    // expect: error NAS0604 at 14:30
}
