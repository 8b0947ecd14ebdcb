// NAS0705 (warning): a top-level decision that nothing uses would be in no architecture.
let unused_lr = choice lr 1e-4 .. 1e-2 log
// expect: warning NAS0705 at 2:5
// expect: note at 2:5
let width = choice [8, 16]
let half = width / 2
// expect: warning NAS0705 at 6:5
let plain = 3

use std.layers
model net(x: tensor[4]) -> tensor[2] { return x |> dense(width) |> relu |> dense(2) }
