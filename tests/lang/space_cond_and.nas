// §5: a branch over two decisions: a decision under `if stride == 1 and wide` exists only
// when both hold. stride 2 x wide 2 = 4 combinations; only (1, true) adds a 3-way width:
// 3 + 3 = 6 architectures (not 8, as under `wide` alone, nor 12 as if unconditional).
// expect-output: 3 decisions (1 conditional), 6 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let stride = choice stride [1, 2]
    let wide = choice wide bool
    if stride == 1 and wide { x = dense(x, choice width [4, 8, 16]) }
    return dense(x, 2)
}
