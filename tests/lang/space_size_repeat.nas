// §5: the decisions of an iteration beyond the minimum exist only when the decided count
// reaches it: 1 to 3 layers of a 2-way width give 2 + 4 + 8 = 14 architectures.
// expect-output: 14 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    repeat choice n 1 .. 3 { x = dense(x, choice w [4, 8]) |> relu }
    return dense(x, 2)
}
