// Each of 6 layers chooses to pool (halving 16x16) or not, and its width: a fifth pooling
// leaves nothing, so only the paths with five or more poolings fail.
use std.layers
block down(x: tensor) -> tensor {
    let y = x |> conv2d(choice filters [4, 8], kernel = 1)
    if choice pool bool { y = y |> maxpool(2) }
    return y
}
model net(x: tensor[4, 16, 16]) -> tensor[10] {
    repeat 6 { x = down(x) }
    return x |> global_avgpool |> dense(10)
}
