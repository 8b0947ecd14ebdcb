// NAS0801: a subset is picked from at most 31 elements (its value is a 31-bit mask); the
// message says the limit and the list's length, at the decision. 31 elements are fine (line 9;
// lowering stops at the first error, so a refused 31 would hide the one of line 10).
// args: {file}
// expect-stderr: 10:13: error[NAS0801]: a subset is picked from at most 31 elements (an architecture holds it as a 31-bit mask of its picks); this list has 32
// expect-exit: 1
use std.layers
model m(x: tensor[16]) -> tensor[4] {
    let fits = choice 2 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]
    let s = choice picked 2 of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]
    return dense(x, 4)
}
