// The exact number of architectures within a hard params constraint (compiler/model/feasible.c).
// By hand: dense(4 -> a) has 5a params, dense(a -> b) has (a+1)b, dense(b -> 2) has 2(b+1):
// params = 5a + ab + 3b + 2, so (a, b) = (2,1) 17, (2,2) 22, (3,1) 23, (3,2) 29, (4,1) 29,
// (4,2) 36: five of the six satisfy params <= 29 (three would satisfy params < 29).
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    x = dense(x, choice a [2, 3, 4])
    x = dense(x, choice b [1, 2])
    return dense(x, 2)
}
reward {
    maximize accuracy
    subject to params <= 29 hard
}
// expect-output: space of model net: 2 decisions (0 conditional), 6 architectures
// expect-output: feasible:     5 architectures satisfy params <= 29 (exact
// expect-output: a draw of the whole space would be feasible with probability 83.3%
