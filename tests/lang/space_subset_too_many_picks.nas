// NAS0801: a pick is its rank in one 32-bit slot, so a subset has at most 2^31 - 1 picks:
// 16 of 33 fits (C(33, 16) = 1166803110), 17 of 34 does not (C(34, 17) = 2333606220; python3 -c
// "import math; print(math.comb(33, 16), math.comb(34, 17))"). The message says the count and
// the limit, at the decision.
// args: {file}
// expect-stderr: 11:13: error[NAS0801]: a subset of 17 of 34 elements has C(34, 17) = 2333606220 picks; a decision holds at most 2147483647 (2^31 - 1) values (a pick is its rank in one 32-bit slot)
// expect-exit: 1
use std.layers
model m(x: tensor[16]) -> tensor[4] {
    let fits = choice 16 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]
    let s = choice picked 17 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]
    return dense(x, 4)
}
