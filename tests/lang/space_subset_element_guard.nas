// NAS0801: a decision inside an element of a subset that also depends on another decision
// (here `a`, through the `if` in the block) is refused at the decision: its count would be
// an e_k of element counts that differ with a, which the size does not compute.
// expect-stderr: cannot also depend on another decision
use std.layers
let a = choice a [1, 2]
block b(x: tensor) -> tensor {
    if a == 1 { return x |> dense(choice w [4, 8]) }
    return x
}
model net(x: tensor[8]) -> tensor[2] {
    let p = choice skips 1 of [dense(x, 8), b(x)]
    return p[0] |> dense(2)
}
// expect: error NAS0801 at 8:35
