// §5: an `and` of two decisions of each iteration of a decided repeat: per iteration a, b
// bools and a 2-way width when both hold: 3 + 2 = 5; reps in 1 .. 8: 5 + 25 + ... + 5^8 =
// 488280 architectures. The optional iterations' a[i] (false, true or absent) make 3^7 = 2187
// cases to count, within the 4,096 limit (space_cond_too_many_cases.nas: 9 iterations).
// expect-output: 25 decisions (22 conditional), 488280 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    repeat choice reps 1 .. 8 {
        let a = choice a bool
        let b = choice b bool
        if a and b { x = dense(x, choice w [4, 8]) }
    }
    return dense(x, 2)
}
