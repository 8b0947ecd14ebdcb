// Reference indentation: 4 spaces per open bracket, one more for a |> continuation line.
use std.layers

dataset fashion {
    format  idx
    path    "/usr/share/datasets/fashion-mnist"   // a { in a comment does not count
    input   [1, 28, 28]
    classes 10
}

block conv_bn(x: tensor, c: int, k: int = 3) -> tensor {
    return x
        |> conv2d(c, kernel = k)
        |> batchnorm
        |> relu
}

model net(x: tensor[1, 28, 28]) -> tensor[10] {
    let width = choice width [16, 24, 32, 48]
    let ops = [
        conv2d(width, kernel = 3),
        maxpool(3, stride = 1),
        identity
    ]
    repeat choice 1 .. 3 {
        x = conv_bn(x, width)
    }
    if choice skip [false, true] {
        x = x + conv2d(x, width,
            kernel = 1)
    } else {
        x = oneof [global_avgpool(x), flatten(x)]
    }
    /* a block comment keeps
          its own layout { ( [
     */
    let s = "braces { in a string"
    return dense(x, 10)
}

reward {
    maximize accuracy
    subject to latency <= 2ms soft(weight = -0.07)
}
