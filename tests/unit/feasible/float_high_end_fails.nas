// A continuous dropout rate up to 1: the rate 1 is out of dropout's range, so some
// architectures do not build, though the one point the enumeration takes (the middle) does.
// The walk tries the float's ends: the count must not be known (never one that includes
// architectures without a graph).
// expect-feasible: unknown
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    x = dense(x, choice w [2, 4])
    x = dropout(x, choice drop 0.5 .. 1.0)
    return dense(x, 2)
}
