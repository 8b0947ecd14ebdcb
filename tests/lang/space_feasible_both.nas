// Hard constraints on params and FLOPs together: the DP follows the pair. params = 10k + kj +
// 3j + 2 and MACs = 324k + kj + 2j, so (k, j) = (1,1) 16 params 327 MACs, (1,8) 44 348,
// (2,1) 27 652, (2,8) 62 680: params <= 30 holds for (1,1) and (2,1), flops <= 700 (MACs <=
// 350) for (1,1) and (1,8), both for (1,1) alone.
use std.layers
model net(x: tensor[1, 6, 6]) -> tensor[2] {
    x = x |> conv2d(choice k [1, 2], kernel = 3, padding = "same") |> relu |> global_avgpool
    return x |> dense(choice j [1, 8]) |> relu |> dense(2)
}
reward {
    maximize accuracy
    subject to params <= 30 hard
    subject to flops <= 700 hard
}
// expect-output: feasible:     1 architectures satisfy params <= 30 and flops <= 700 (exact
// expect-output: a draw of the whole space would be feasible with probability 25%
