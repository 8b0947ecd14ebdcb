// `zero` on one edge of each node only: no node ever reads only zero, so no NAS0902.
use std.layers
block edge(x: tensor) -> tensor {
    return x |> choice op [conv2d(4, kernel = 3), zero]
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    let n1 = edge(x) + conv2d(x, 4, kernel = 1)
    return n1 |> global_avgpool |> dense(10)
}
