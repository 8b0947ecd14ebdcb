// NAS0801: height and width need a tensor of shape [channels, height, width]; after flatten
// there is one dimension (its `channels`, the features, is fine).
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    let f = flatten(x)
    let y = f |> dense(f.channels / 2)
    return y |> dense(f.height)
// expect: error NAS0801 at 7:25
}
