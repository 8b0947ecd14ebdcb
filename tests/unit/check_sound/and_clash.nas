// check_sound case: a shape clash only under a branch on two decisions (a == 2 and b, then
// width 8): the static check finds it with its witness, as brute force over the 5
// architectures does, and the params range is over the builds only.
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = choice a [1, 2]
    let b = choice b bool
    let y = dense(x, 4)
    if a == 2 and b { y = dense(y, choice w [4, 8]) }
    return dense(x + y, 2)
}
