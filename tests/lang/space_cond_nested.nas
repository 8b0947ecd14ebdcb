// §5: nested `if`s over different decisions, with a oneof and a decided repeat inside: the
// decisions inside exist when both tests hold (a conjunction). depth in {1, 2, 3}, se bool:
// only depth >= 2 with se (2 of the 6 combinations) reach the oneof, whose first branch is a
// 2-way width and second a repeat of 1 .. 2 layers of a 2-way kernel (2 + 4 = 6): 2 + 6 = 8
// each. The other 4 combinations: 1 each. 4 + 2 * 8 = 20 architectures.
// expect-output: 20 architectures
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let depth = choice depth [1, 2, 3]
    let se = choice se bool
    if depth >= 2 {
        if se {
            x = oneof [dense(x, choice w [4, 8]), stack(x)]
        }
    }
    return dense(x, 2)
}
block stack(x: tensor) -> tensor {
    repeat choice n 1 .. 2 { x = dense(x, choice k [4, 8]) |> relu }
    return x
}
