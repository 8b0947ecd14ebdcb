// A hard FLOPs constraint with `<`: FLOPs are 2 x MACs, and the MACs of the three dense
// layers are 4a + ab + 2b, so (a, b) = (2,1) 24 FLOPs, (2,2) 32, (3,1) 34, (3,2) 44, (4,1) 44,
// (4,2) 56: three satisfy flops < 44 (five would satisfy flops <= 44).
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    x = dense(x, choice a [2, 3, 4])
    x = dense(x, choice b [1, 2])
    return dense(x, 2)
}
reward {
    maximize accuracy
    subject to flops < 44 hard
}
// expect-output: feasible:     3 architectures satisfy flops < 44 (exact
// expect-output: a draw of the whole space would be feasible with probability 50%
