// A block that ignores one argument: the layer producing it reaches the output only through
// the block, so it is counted in no architecture (the stand-in depends on what its result reads).
use std.layers
block f(x: tensor, s: tensor) -> tensor {
    let c = choice c [4, 8]
    return x |> dense(c)
}
model net(x: tensor[8]) -> tensor[2] {
    let s = x |> dense(5)
    return f(x, s) |> dense(2)
}
