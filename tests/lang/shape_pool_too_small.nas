// NAS0901: three 2x2 poolings shrink a 4x4 map below the window when `deep` is true.
use std.layers
model net(x: tensor[1, 4, 4]) -> tensor[10] {
    x = conv2d(x, 8) |> maxpool(2) |> maxpool(2)
    if choice deep bool {
        x = maxpool(x, 2)
// expect: error NAS0901 at 6:13
    }
    return x |> flatten |> dense(10)
}
