// `choice [a, b, c]` (§5) over numbers, bools, strings, layers and blocks; anonymous and named.
use std.layers

block small(x: tensor) -> tensor { return conv2d(x, 8) }
block large(x: tensor) -> tensor { return conv2d(x, 32) }

let ints    = choice [1, 2, 3]
let floats  = choice [0.1, 0.2]
let flags   = choice [false, true]
let names   = choice ["sgd", "adam"]
let times   = choice [1ms, 2ms]
let named   = choice widths [16, 32, 64]

block pick(x: tensor) -> tensor {
    let f = choice layer [relu, sigmoid, identity]
    let g = choice [small, large]
    return x |> f |> g
}
