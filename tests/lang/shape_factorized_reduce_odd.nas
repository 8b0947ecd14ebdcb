// std.blocks' factorized_reduce needs an even height and width, as DARTS' FactorizedReduce
// does (issue 18): on 7x7 the plain half is 4x4 and the shifted (cropped) half 3x3, so the
// concat inside the block is NAS0901.
use std.layers
use std.blocks
model net(x: tensor[3, 7, 7]) -> tensor[10] {
    return x |> factorized_reduce(8) |> global_avgpool |> dense(10)
// expect: error NAS0901 at stdlib/blocks.nas:74:12
}
