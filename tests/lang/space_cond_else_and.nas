// NAS0802: the `else` of `a == 1 and b` is `a != 1 or not b`, no conjunction: a decision in
// it is refused (the `then` branch is fine).
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = choice a [1, 2]
    let b = choice b bool
    if a == 1 and b {
        x = dense(x, choice w1 [4, 8])
    } else {
        x = dense(x, choice w2 [4, 8])
// expect: error NAS0802 at 10:22
// expect: note at 7:8
    }
    return dense(x, 2)
}
