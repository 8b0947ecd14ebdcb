// §5: a decision inside an element of `choice k of [...]` exists only when the element is
// picked: 3 picks of 2 elements, each picked element 2 widths, 3 * 2 * 2 = 12 architectures,
// not 3 * 2^3 = 24.
// expect-output: 4 decisions (3 conditional), 12 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let s = choice picked 2 of [dense(x, choice a [4, 8]), dense(x, choice b [4, 8]), dense(x, choice c [4, 8])]
    return dense(concat(s), 2)
}
