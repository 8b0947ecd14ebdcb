// A nested result that reaches nothing (its weights do not count, its decisions do), a
// continuous dropout (drawn on its own), a oneof and a decided repeat.
// expect-feasible: exact
use std.layers
block side(x: tensor) -> tensor {
    return conv2d(x, choice side_width [2, 6], kernel = 3)
}
block cell(x: tensor) -> tensor {
    let n = choice depth [1, 2]
    repeat n { x = x + conv2d(x, 8, kernel = choice k [1, 3]) }
    return x
}
model net(x: tensor[8, 8, 8]) -> tensor[3] {
    let unused = side(x)
    x = cell(x)
    x = oneof op [conv2d(x, 8), maxpool(x, 3, stride = 1, padding = "same")]
    x = x |> flatten
    x = dropout(x, choice drop 0.0 .. 0.5)
    return dense(x, 3)
}
