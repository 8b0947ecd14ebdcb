// §5: a decision inside an `if` on a shared decision, inside the optional iteration of a
// decided `repeat`, exists when both hold: wide false: reps 1 | 2 (2); wide true: reps 1 with
// one width (2) + reps 2 with two (4). 2 + 2 + 4 = 8 architectures.
// expect-output: 4 decisions (2 conditional), 8 architectures
use std.layers
let wide = choice wide bool
model net(x: tensor[4]) -> tensor[2] {
    repeat choice reps 1 .. 2 {
        if wide {
            x = dense(x, choice width [4, 8])
        }
    }
    return dense(x, 2)
}
