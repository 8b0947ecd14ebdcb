// §5: decisions inside the alternative not taken do not exist, so a oneof of a 2-way and a
// 3-way alternative holds 2 + 3 = 5 architectures, not 2 * 2 * 3.
// expect-output: 3 decisions (2 conditional), 5 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    x = oneof [dense(x, choice a [4, 8]), dense(x, choice b [4, 8, 16])]
    return dense(x, 2)
}
