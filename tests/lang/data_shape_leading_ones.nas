// [1, 28, 28] and [28, 28] name the same example (the loaders drop leading 1s): no diagnostic.
// expect-no-diagnostics
use std.layers
dataset digits {
    format  synthetic(n = 100, seed = 1)
    input   [1, 28, 28]
    classes 10
}
model m(x: tensor[28, 28]) -> tensor[10] { return x |> flatten |> dense(choice w [8, 16]) |> dense(10) }
search s {
    data       digits.train split 80% / 20%
    trials     2
    max_failed 1
}
