// NAS0801: in `choice lo .. hi step s log` the step is the factor between neighbouring values
// and must be > 1; a step from a block's parameter is checked per instance, at the step (a
// constant step is NAS0408, tests/lang/type_range_step.nas). It used to be "this decision
// cannot be added to the space: invalid argument".
// args: {file}
// expect-stderr: 10:52: error[NAS0801]: the step of a log range is the factor between neighbouring values and must be > 1 (in this instance)
// expect-exit: 1
use std.layers
block b(x: tensor, f: float) -> tensor {
    return x |> dropout(choice r 1e-4 .. 1e-1 step f log)
}
model m(x: tensor[16]) -> tensor[4] {
    x = x |> b(10.0) |> b(1.0)
    return dense(x, 4)
}
