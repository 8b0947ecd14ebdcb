// NAS0803: two models and nothing says which one the search trains; the error is at the first.
use std.layers
model a(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
// expect: error NAS0803 at 3:7
model b(x: tensor[4]) -> tensor[2] { return x |> dense(8) |> relu |> dense(2) }
