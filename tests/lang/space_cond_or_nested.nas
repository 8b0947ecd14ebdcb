// NAS0802: each `if` is judged on its own test. Under `if a or b` no decision may exist, even
// where an inner `if a` narrows the combinations back to one test (a): the refusal is at the
// decision, once, with a note at the `or`. The one test `if (a or b) and a` is accepted
// (tests/lang/space_cond_or.nas has the plain `or`; docs/language.md §5).
use std.layers
let a = choice a bool
let b = choice b bool
model m(x: tensor[8]) -> tensor[2] {
    if a or b {
        if a { x = dense(x, choice w [4, 8]) }
// expect: error NAS0802 at 10:29
// expect: note at 9:8
    }
    if (a or b) and a { x = dense(x, choice v [4, 8]) }
    return dense(x, 2)
}
