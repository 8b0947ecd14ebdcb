// crop (issue 18): a negative count of rows or columns is refused at the value given.
use std.layers
model negative(x: tensor[1, 8, 8]) -> tensor[10] {
    return x |> crop(left = -1) |> flatten |> dense(10)
// expect: error NAS0901 at 4:29
}
