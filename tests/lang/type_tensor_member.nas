// NAS0416: a tensor has `channels`, `height`, `width` and `shape` (a note suggests the close
// one); an int has no members at all.
use std.layers
block b(x: tensor, n: int) -> tensor {
    let c = x.chanels
// expect: error NAS0416 at 5:15
// expect: note at 5:15
    let m = n.channels
// expect: error NAS0416 at 8:15
    return x
}
model net(x: tensor[1, 28, 28]) -> tensor[10] { return x |> b(3) |> flatten |> dense(10) }
