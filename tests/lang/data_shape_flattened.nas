// [784] is not [1, 28, 28]: a flattened dataset does not fit an image model (flatten in the model).
use std.layers
dataset digits {
    format  synthetic(n = 100, seed = 1)
    input   [784]
    // expect: note at 5:13
    classes 10
}
model m(x: tensor[1, 28, 28]) -> tensor[10] { return x |> flatten |> dense(choice w [8, 16]) |> dense(10) }
// expect: error NAS0613 at 9:12
search s {
    data       digits.train split 80% / 20%
    trials     2
    max_failed 1
}
