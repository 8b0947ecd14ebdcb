// NAS0901: a residual `+` of two tensors whose channel counts differ for some
// architectures (width = 16); the error is at the `+` expression, a note gives the decisions.
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    let y = conv2d(x, choice width [8, 16])
    let z = conv2d(x, 8)
    x = y + z
// expect: error NAS0901 at 7:9
// expect: note at 7:9
    return x |> global_avgpool |> dense(10)
}
