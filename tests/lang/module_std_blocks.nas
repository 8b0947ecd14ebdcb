// std.blocks (§2) gives the MobileNet-style blocks used by mobile spaces.
use std.layers
use std.blocks

model m(x: tensor[3, 32, 32]) -> tensor[10] {
    x = conv2d(x, 16, kernel = 3, stride = 2)
    x = mbconv(x, 24, expansion = 6, kernel = 3, se = true)
    return x |> global_avgpool |> dense(10)
}
