// A DARTS-like cell: each node sums two edges that each choose an op, `zero` among them.
// Architectures where both edges of a node chose `zero` have a node reading only zero
// (NAS0902); the brute force must agree that some exist, and the example must show it.
use std.layers
block edge(x: tensor) -> tensor {
    return x |> choice op [conv2d(4, kernel = 3), maxpool(3, stride = 1, padding = "same"), zero]
}
model net(x: tensor[4, 8, 8]) -> tensor[10] {
    let n1 = edge(x) + edge(x)
    let n2 = edge(n1) + edge(x)
    return n2 |> global_avgpool |> dense(10)
}
