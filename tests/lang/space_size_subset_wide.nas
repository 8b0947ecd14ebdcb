// §5: subsets beyond 31 elements (a pick is its rank in one 32-bit slot: C(n, k) <= 2^31 - 1):
// 5 of 40 skip inputs and 3 of 100 widths. C(40, 5) * C(100, 3) = 658008 * 161700 =
// 106399893600 architectures
// (python3 -c "import math; print(math.comb(40, 5) * math.comb(100, 3))").
// expect-output: 2 decisions (0 conditional), 106399893600 architectures
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    let s = choice skips 5 of [dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4), dense(x, 5), dense(x, 6), dense(x, 4)]
    let w = choice widths 3 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100]
    return concat(s) |> dense(w[0] + w[1] + w[2]) |> dense(2)
}
