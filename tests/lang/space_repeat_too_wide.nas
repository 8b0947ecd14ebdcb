// NAS0801: a repeat count over a decision of a million values cannot be lowered (each value is
// enumerated); the message gives the limit and the decision's size (it used to call the range
// "continuous").
// args: {file}
// expect-stderr: 9:13: error[NAS0801]: a repeat count can depend on a decision of at most 65536 values; `depth` has 1000000
// expect-exit: 1
use std.layers
model m(x: tensor[16]) -> tensor[4] {
    repeat (choice depth 1 .. 1000000) { x = dense(x, 8) }
    return dense(x, 4)
}
