// NAS0801: a float bound folded past the largest double (`1e308 * 10.0` is inf) is reported at
// the bound, with its value; it used to be "this decision cannot be added to the space:
// invalid argument" at the decision.
// args: {file}
// expect-stderr: 9:41: error[NAS0801]: the bounds and the step of a range must be finite, not inf
// expect-exit: 1
use std.layers
model m(x: tensor[16]) -> tensor[4] {
    return x |> dropout(choice r 0.0 .. 1e308 * 10.0) |> dense(4)
}
