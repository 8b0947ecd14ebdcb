// A continuous dropout rate reaches only dropout, whose rate must lie in [0, 1): the ends
// of the range were both tried, so the check is a proof.
// expect-proof: yes
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[3] {
    let w = choice w [4, 8]
    x = conv2d(x, w, kernel = 3) |> relu |> flatten
    x = dropout(x, choice drop 0.05 .. 0.5 log)
    return dense(x, 3)
}
