// Settings are `name value`: `epochs = 1` and `batch: 128` say so at the '=' or ':'.
search s {
    trials 30
    epochs = 1
// expect: error NAS0201 at 4:12
}
train t {
    batch: 128
// expect: error NAS0201 at 8:10
}
// In a model body `x = ...` is an assignment, not a setting.
use std.layers
model net(x: tensor[4]) -> tensor[2] { x = relu(x)
    return dense(x, 2) }
