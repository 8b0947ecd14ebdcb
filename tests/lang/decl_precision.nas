// `precision` (search and train): what convolutions and matmuls compute in. fp32, bf16 or
// fp16 and nothing else; the weights stay fp32 whatever it says.
dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"
    input   [1, 28, 28]
    classes 10
}

search stage1 {
    data      fashion.train split 90% / 10%
    trials    10
    precision bf16
}

train stage2 {
    from      stage1 top 2
    data      fashion.train / fashion.test
    precision fp64
// expect: error NAS0605 at 19:15
}

use std.layers
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(10) }
