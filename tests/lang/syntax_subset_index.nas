// §5: the picks of `choice k of [...]` are a list in the order of the list: `p[0]` and `p[1]`
// are the first and second picked element. 10WG picks {x, a}: the relu reads a (%3), not x.
// args: --emit=graph --arch 10WG {file}
// expect-output: act relu                       (%3[B,8]) -> %4[B,8]
// expect-output: add                            (%0[B,8], %4[B,8]) -> %5[B,8]
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let a = dense(x, 8)
    let b = dense(a, 8)
    let p = choice skips 2 of [x, a, b]
    return p[0] + relu(p[1]) |> dense(2)
}
