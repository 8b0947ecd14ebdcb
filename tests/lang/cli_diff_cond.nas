// `nasc --diff OLD NEW`: the width's condition gained a second decision (`wide` became
// `stride == 1 and wide`): the decision is reported changed, and of the old 2 * (1 + 3) = 8
// architectures the 2 without wide and the 3 with stride 1 are still architectures here.
// args: --diff {dir}/modules/diff_cond_old.nas {file}
// expect-output: changed  width: [4, 8, 16] when wide -> [4, 8, 16] when wide and stride
// expect-output: architectures: 5 of the old space's 8 are architectures of the new one
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let stride = choice stride [1, 2]
    let wide = choice wide bool
    if stride == 1 and wide { x = dense(x, choice width [4, 8, 16]) }
    return dense(x, 2)
}
