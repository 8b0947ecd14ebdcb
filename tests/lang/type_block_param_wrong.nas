// A `block` parameter takes a layer or block (applied later); an int is NAS0506 at the
// argument, with the parameter noted.
use std.layers
block node(a: tensor, op: block) -> tensor {
    return op(a)
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    x = node(x, 3)
// expect: error NAS0506 at 8:17
// expect: note at 4:23
    return x |> global_avgpool |> dense(10)
}
