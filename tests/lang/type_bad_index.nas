// NAS0418: only a list is indexed, by an int, within the list when its length is known.
use std.layers
block b(x: tensor) -> tensor {
    let c = x[0]
// expect: error NAS0418 at 4:13
    let d = x.shape[1.5]
// expect: error NAS0418 at 6:21
    let e = [1, 2, 3][3]
// expect: error NAS0418 at 8:23
    return x |> conv2d(x.shape[2], kernel = 1)
}
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> b |> flatten |> dense(10) }
