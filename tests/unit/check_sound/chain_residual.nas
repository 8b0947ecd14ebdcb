// A residual chain: each iteration picks a width and whether to add its input back, which
// fails only where the width differs from the carried one (a path through earlier choices).
// The body's own lets and decisions are per iteration.
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    repeat 5 {
        let y = x |> dense(choice w [4, 8, 16]) |> relu
        if choice res bool { y = add(x, y) }
        x = y
    }
    return dense(x, 2)
}
