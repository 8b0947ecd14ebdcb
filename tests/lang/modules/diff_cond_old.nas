// The old version of a space, for cli_diff_cond.nas: the width under `wide` alone.
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let stride = choice stride [1, 2]
    let wide = choice wide bool
    if wide { x = dense(x, choice width [4, 8, 16]) }
    return dense(x, 2)
}
