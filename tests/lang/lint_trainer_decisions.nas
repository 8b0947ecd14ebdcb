// NAS0705 does not fire for a decision the trainer declares (`decisions`, §3.12): it is
// meant for an external trainer, which reads it from NAS_DECISIONS.
let lr = choice learning_rate 1e-4 .. 1e-2 log
let wd = choice [0.0, 1e-4]
let width = choice [8, 16]

use std.layers
model net(x: tensor[4]) -> tensor[2] { return x |> dense(width) |> relu |> dense(2) }

trainer custom {
    exec      "python3 train.py"
    decisions [lr, wd, width]
}
