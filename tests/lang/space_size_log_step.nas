// `choice lo .. hi step s log` is a geometric grid lo, lo * s, lo * s^2, ... up to hi: the
// dropout rate 0.0625 .. 0.5 by 2 has 4 values (0.0625, 0.125, 0.25, 0.5), and the block's
// 1e-4 .. 1e-1 by 10 (its factor a parameter) 4 (1e-4, 1e-3, 1e-2, 1e-1): 16 architectures.
// args: {file}
// expect-output: 2 decisions (0 conditional), 16 architectures
use std.layers
block b(x: tensor, f: float) -> tensor {
    return x |> dropout(choice r 1e-4 .. 1e-1 step f log)
}
model m(x: tensor[16]) -> tensor[4] {
    x = x |> dropout(choice rate 0.0625 .. 0.5 step 2 log) |> b(10.0)
    return dense(x, 4)
}
