// An architecture's graph holds only what reaches its result: the layers of the elements a
// subset did not pick (b and c here) are not in it, nor their parameters (58 = a's 40 and
// the head's 18). 10WG picks a.
// args: --emit=graph --arch 10WG {file}
// expect-output: 11 nodes (6 forward), 17 values, 58 params, 0 state
// expect-output: dense 8 +b
// expect-output: concat                         (%3[B,8]) -> %4[B,8]
use std.layers
model m(x: tensor[4]) -> tensor[2] {
    let a = dense(x, 8)
    let b = dense(x, 16)
    let c = dense(x, 32)
    let s = choice picked 1 of [a, b, c]
    return dense(concat(s), 2)
}
