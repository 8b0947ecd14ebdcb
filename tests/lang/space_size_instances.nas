// §3.4, §3.6: a block's choice is a separate decision per instance (two calls: 3 * 3), a
// top-level `let` choice is one shared decision however often it is used (2): 18 in all.
// expect-output: 3 decisions (0 conditional), 18 architectures
use std.layers
let act = choice act [relu, sigmoid]
block layer(x: tensor) -> tensor { return x |> dense(choice width [4, 8, 16]) |> act }
model net(x: tensor[4]) -> tensor[2] {
    x = layer(x)
    x = layer(x)
    x = x |> act
    return dense(x, 2)
}
