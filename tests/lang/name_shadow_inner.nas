// NAS0303 (warning): a `let` in an `if` body hides a `let` of the enclosing body.
use std.layers
block b(x: tensor) -> tensor {
    let k = 3
    if choice bool {
        let k = 5
// expect: warning NAS0303 at 6:13
        x = conv2d(x, 8, kernel = k)
    }
    return conv2d(x, 8, kernel = k)
}
