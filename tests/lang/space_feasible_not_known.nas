// A hard constraint on memory is not a sum over the layers: the feasible count is not known,
// and nasc says why (draws stay those of the whole space, rejected at run time).
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    x = dense(x, choice a [2, 3, 4])
    return dense(x, 2)
}
reward {
    maximize accuracy
    subject to params <= 29 hard
    subject to memory <= 64MB hard
}
// expect-output: feasible:     how many satisfy the hard constraints is not known: a hard constraint on memory, which is not a sum over the layers
// expect-output: random draws are of the whole space; infeasible ones are rejected at run time
