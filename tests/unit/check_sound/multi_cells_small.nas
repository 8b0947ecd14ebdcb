// A NASNet/DARTS chain as multi_cells.nas, of eight cells: each reads the two previous outputs
// (a loop carrying two tensors) and picks its own width. 6,561 architectures, small enough
// for feasible_test to build every one.
// expect-feasible: exact
use std.layers
block cell(p: tensor, x: tensor) -> tensor {
    let a = p |> dense(choice w [4, 8, 16]) |> relu
    return add(a, x |> dense(a.channels))
}
model net(x: tensor[8]) -> tensor[2] {
    let p = x
    repeat 8 {
        let y = cell(p, x)
        p = x
        x = y
    }
    return dense(x, 2)
}
