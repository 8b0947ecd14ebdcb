// `dilation` is an int (issue 18): a float is a type error at the argument.
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    return x |> conv2d(4, dilation = 1.5) |> flatten |> dense(10)
// expect: error NAS0506 at 4:38
}
