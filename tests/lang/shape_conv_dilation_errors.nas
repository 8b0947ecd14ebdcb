// Dilation (issue 18): a dilated kernel that outgrows its input is NAS0901 for the
// architectures where it does (a note names them).
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    let a = x |> conv2d(4, kernel = 3, dilation = choice d [1, 4], padding = "valid")
// expect: error NAS0901 at 5:18
// expect: note at 5:18
    return a |> flatten |> dense(10)
}
