// A continuous decision cannot steer a branch (NAS0801), but a comparison of it can still
// reach the graph: here it decides whether the dense layer has a bias, so the parameter
// bounds depend on values between the three points tried.
// expect-proof: no
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[3] {
    let r = choice r 0.0 .. 1.0
    x = conv2d(x, 4, kernel = 3)
    return x |> flatten |> dense(3, bias = r > 0.7)
}
