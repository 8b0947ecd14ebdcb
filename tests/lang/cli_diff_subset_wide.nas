// `nasc --diff` over a subset that grew from 40 to 41 elements: every old pick (C(40, 2) =
// 780) is a pick of the new list, read by its elements' text, so all are still architectures.
// args: --diff {dir}/modules/diff_subset_old.nas {file}
// expect-output: architectures: 780 of the old space's 780 are architectures of the new one
use std.layers
model m(x: tensor[8]) -> tensor[2] {
    let w = choice widths 2 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41]
    return x |> dense(w[0] + w[1]) |> dense(2)
}
