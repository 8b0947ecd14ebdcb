// NAS0801: x.shape has one entry per dimension of this instance's tensor: after flatten,
// one (the lowering checks the index per instance).
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    let f = flatten(x)
    return f |> dense(f.shape[1])
// expect: error NAS0801 at 6:31
}
