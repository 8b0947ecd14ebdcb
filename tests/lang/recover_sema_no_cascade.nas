// Sema reports the root cause only: an undefined name makes its expression "unknown", and
// nothing built from it is reported again (no unit, type or call errors downstream).
use std.layers
let t = missing + 2ms
// expect: error NAS0301 at 4:9
let u = t < 5MB
let v = u and true
block b(x: tensor) -> tensor {
    let y = conv2d(x, nope)
// expect: error NAS0301 at 9:23
    y = y |> relu
    return y + undefined_tensor
// expect: error NAS0301 at 12:16
}
