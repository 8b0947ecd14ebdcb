// §5: a decision inside an `if` branch exists only when the branch is taken:
// skip = false (1) + skip = true with a 2-way width (2) = 3 architectures.
// expect-output: 2 decisions (1 conditional), 3 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    if choice skip bool { x = dense(x, choice w [4, 8]) }
    return dense(x, 2)
}
