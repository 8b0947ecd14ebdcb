// 2^15 architectures, more than the static check's budget: the loop carries an int beside the
// tensors, so the check walks every path through it (carried tensors only it walks iteration
// by iteration).
// The params/MACs range is what the sample and the partial walk reached, not bounds of the
// whole space (grid sampling reaches 810).
// expect-output: params:       346 .. 794 (over 64 sampled architectures and the static check, not a proof: it stopped at its budget)
// expect-output: train memory: 1.04 MB .. 1.04 MB at batch 128, SGD momentum (over 64 sampled architectures)
use std.layers
model m(x: tensor[1, 8, 8]) -> tensor[2] {
    let prev = x
    let n = 0
    repeat 15 {
        prev = x
        n = n + 1
        x = conv2d(x, 2, kernel = choice k [1, 3])
    }
    return x |> flatten |> dense(2)
}
