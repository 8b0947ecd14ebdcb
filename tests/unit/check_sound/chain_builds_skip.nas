// A chain that always builds, so the feasible-set DP (feasible.c) counts it through the loop
// tails too: per iteration a width, an optional residual of the carried width, and an
// optional concat of a tensor from before the loop (its producer counts only when taken).
// expect-feasible: exact
use std.layers
block layer(x: tensor) -> tensor {
    return x |> dense(choice c [4, 8, 16]) |> relu
}
model net(x: tensor[8]) -> tensor[2] {
    let s = x |> dense(4)
    let unused = x |> dense(5)
    repeat 3 {
        x = layer(x)
        if choice res bool { x = x + (x |> dense(x.channels)) }
        if choice cat bool { x = concat([x, s]) }
    }
    return dense(x, 2)
}
