// NAS0802: a decision under `a == 1 or b` would exist under a union of conditions over two
// decisions, which the space cannot express (a decision's condition is an `and`). Reported
// once, at the decision, with a note at the condition. A branch with no decision inside may
// use `or` (the first `if`).
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = choice a [1, 2]
    let b = choice b bool
    if a == 1 or b { x = relu(x) }
    if a == 1 or b {
        x = dense(x, choice width [4, 8])
// expect: error NAS0802 at 11:22
// expect: note at 10:8
    }
    return dense(x, 2)
}
