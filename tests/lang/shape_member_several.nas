// NAS0801: a width that depends on two decisions (a and b) cannot steer a branch: lowering
// tabulates a shape per decision, and `a * b` is of two.
use std.layers
let a = choice a [8, 16]
let b = choice b [1, 2]
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    x = x |> conv2d(a * b, kernel = 1)
    if x.channels > 16 {
// expect: error NAS0801 at 8:8
        x = x |> conv2d(choice c [4, 8], kernel = 1)
    }
    return x |> global_avgpool |> flatten |> dense(10)
}
