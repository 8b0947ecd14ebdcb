// NAS0801: the exact count of conditions over several decisions sums over cases: here the 8
// optional iterations' a[i] (false, true or absent) make 3^8 = 6561, past the limit of 4,096;
// the error is at the decision whose condition passes it, with the limit in the message.
// expect: error NAS0801 at 12:26
// expect-stderr: make more than 4096 cases to count
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    repeat choice reps 1 .. 9 {
        let a = choice a bool
        let b = choice b bool
        if a and b {
            x = dense(x, choice w [4, 8])
        }
    }
    return dense(x, 2)
}
