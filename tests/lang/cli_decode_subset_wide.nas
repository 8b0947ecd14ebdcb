// `nasc --decode` of the 100-element subset's pick of rank C(99, 3) = 156849 (base32 4S5H):
// the colex order puts element 100 after every pick of 1 .. 99, so this is {1,2,100}, the
// first pick holding element 100.
// args: --decode 14S5H7G {file}
// expect-output: widths={1,2,100}
use std.layers
model m(x: tensor[8]) -> tensor[2] {
    let w = choice widths 3 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100]
    return x |> dense(w[0] + w[1] + w[2]) |> dense(2)
}
