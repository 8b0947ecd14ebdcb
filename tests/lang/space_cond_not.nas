// §5: `not` and `or` are fine when the branch's combinations still form an `and` of one test
// per decision: `not (a == 2) and (b or b)` is a in {1, 3} and b. a 3 x b 2 = 6 combinations,
// 2 of them add a 2-way width: 4 + 2 * 2 = 8 architectures.
// expect-output: 8 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let a = choice a [1, 2, 3]
    let b = choice b bool
    if not (a == 2) and (b or b) { x = dense(x, choice w [4, 8]) }
    return dense(x, 2)
}
