// A chain reading tensors from before the loop: a skip connection added on some iterations
// (its producer counts only where one is taken), one whose width may clash, and a tensor
// the loop never reads (never counted).
use std.layers
block layer(x: tensor) -> tensor {
    return x |> dense(choice c [8, 16]) |> relu
}
model net(x: tensor[8]) -> tensor[2] {
    let s = x |> dense(8)
    let unused = x |> dense(5)
    repeat 4 {
        x = layer(x)
        if choice skip bool { x = x + s }
    }
    return dense(x, 2)
}
