// The old space of cli_diff_subset_wide.nas: 2 of 40 skip inputs.
use std.layers
model m(x: tensor[8]) -> tensor[2] {
    let s = choice skips 2 of [dense(x, 1), dense(x, 2), dense(x, 3), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 7), dense(x, 8), dense(x, 9), dense(x, 10), dense(x, 11), dense(x, 12), dense(x, 13), dense(x, 14), dense(x, 15), dense(x, 16), dense(x, 17), dense(x, 18), dense(x, 19), dense(x, 20), dense(x, 21), dense(x, 22), dense(x, 23), dense(x, 24), dense(x, 25), dense(x, 26), dense(x, 27), dense(x, 28), dense(x, 29), dense(x, 30), dense(x, 31), dense(x, 32), dense(x, 33), dense(x, 34), dense(x, 35), dense(x, 36), dense(x, 37), dense(x, 38), dense(x, 39), dense(x, 40)]
    return concat(s) |> dense(2)
}
