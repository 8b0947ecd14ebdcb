// §5 sizes of each form: 1 .. 8 (8), 16 .. 64 step 16 (4), bool (2), 2 of 4 (6):
// 8 * 4 * 2 * 6 = 384 architectures.
// expect-output: 4 decisions (0 conditional), 384 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = dense(x, choice units 1 .. 8)
    let b = dense(x, choice width 16 .. 64 step 16) |> dense(4)
    let c = dense(x, 4)
    let d = dense(x, 4)
    if choice gate bool { c = relu(c) }
    let e = dense(a, 4)
    x = sum(choice inputs 2 of [b, c, d, e])
    return dense(x, 2)
}
