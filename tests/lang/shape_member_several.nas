// NAS0801: a width that depends on two decisions (a and b) cannot steer a branch: lowering
// branches on one decision.
use std.layers
let a = choice a [8, 16]
let b = choice b [1, 2]
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    x = x |> conv2d(a * b, kernel = 1)
    if x.channels > 8 {
// expect: error NAS0801 at 8:8
        x = relu(x)
    }
    return x |> global_avgpool |> flatten |> dense(10)
}
