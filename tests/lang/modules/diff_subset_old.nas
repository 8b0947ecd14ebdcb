// The old space of cli_diff_subset_wide.nas: 2 of 40 widths.
use std.layers
model m(x: tensor[8]) -> tensor[2] {
    let w = choice widths 2 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]
    return x |> dense(w[0] + w[1]) |> dense(2)
}
