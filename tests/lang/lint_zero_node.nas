// NAS0902: a DARTS-like cell node whose two edges may both choose `zero` reads only zero in
// some architectures (warned at the `+`, with an example); the second node always has a
// convolution on one edge, so it is never warned, nor is the relu reading the first node
// (its zeros were warned about at 10:14); the layer fed by `zero` directly is warned.
use std.layers
block edge(x: tensor) -> tensor {
    return x |> choice op [conv2d(4, kernel = 3), zero]
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    let n1 = edge(x) + edge(x)
    let n2 = (n1 |> relu) + conv2d(x, 4, kernel = 1)
    let y = x |> choice tail [identity, zero] |> batchnorm
    return (n2 + y) |> global_avgpool |> dense(10)
}
// expect: warning NAS0902 at 10:14
// expect: note at 10:14
// expect: warning NAS0902 at 12:50
// expect: note at 12:50
