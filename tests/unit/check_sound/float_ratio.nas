// squeeze_excite's ratio sets the size of its hidden layer: a sampled ratio is not a proof
// of the parameter bounds.
// expect-proof: no
use std.layers
model net(x: tensor[8, 4, 4]) -> tensor[3] {
    x = squeeze_excite(x, ratio = choice q 0.1 .. 0.5)
    return x |> global_avgpool |> dense(3)
}
