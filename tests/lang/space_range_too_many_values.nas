// NAS0801: one decision holds at most 2^31 - 1 values; the message says the limit, at the decision.
// args: {file}
// expect-stderr: 7:13: error[NAS0801]: this decision cannot be added to the space: it has more than 2147483647 values (2^31 - 1), the limit for one decision
// expect-exit: 1
use std.layers
model m(x: tensor[16]) -> tensor[4] {
    let w = choice width 1 .. 3000000000
    return dense(x, 4)
}
