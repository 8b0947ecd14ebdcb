// A NASNet/DARTS chain: each of ten cells reads the two previous outputs (a loop carrying two
// tensors) and picks its own width; the cell's first input is resized, so every path builds.
// 59,049 architectures, proved in 1,884 evaluations (docs/language.md).
use std.layers
block cell(p: tensor, x: tensor) -> tensor {
    let a = p |> dense(choice w [4, 8, 16]) |> relu
    return add(a, x |> dense(a.channels))
}
model net(x: tensor[8]) -> tensor[2] {
    let p = x
    repeat 10 {
        let y = cell(p, x)
        p = x
        x = y
    }
    return dense(x, 2)
}
