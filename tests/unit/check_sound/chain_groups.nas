// A grouped convolution that divides only some of the widths the previous layer chose: the
// error is on the paths where a width of 6 meets groups = 4.
use std.layers
block layer(x: tensor) -> tensor {
    let g = choice groups [1, 4]
    let y = x |> conv2d(8, kernel = 3, groups = g)
    return y |> conv2d(choice width [4, 6, 8], kernel = 1) |> relu
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    repeat 4 { x = layer(x) }
    return x |> global_avgpool |> dense(10)
}
