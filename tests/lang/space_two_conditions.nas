// NAS0802: a decision inside an `if` on a shared decision, inside the optional iterations
// of a decided `repeat`: it would exist under two unrelated conditions.
use std.layers
let wide = choice wide bool
model net(x: tensor[4]) -> tensor[2] {
    repeat choice reps 1 .. 2 {
        if wide {
            x = dense(x, choice width [4, 8])
// expect: error NAS0802 at 8:26
        }
    }
    return dense(x, 2)
}
