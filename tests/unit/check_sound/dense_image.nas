// dense needs a flat input: it fails exactly when the head decision keeps the image.
use std.layers
model net(x: tensor[2, 4, 4]) -> tensor[3] {
    let h = choice head [0, 1, 2]
    if h == 0 { x = flatten(x) }
    if h == 1 { x = global_avgpool(x) }
    return dense(x, 3)
}
