// One shared decision read by two edges whose outputs are added: the same value always gives
// the same shape, but read independently per instance (the factored pass) a downsampled edge
// meets a full one. That failure's decisions disagree, so it is no architecture: the exact
// pass must prove the space with no error.
use std.layers
let e1 = choice e1 ["skip", "down", "conv"]
let e2 = choice e2 ["skip", "conv"]
block edge(x: tensor, op: string) -> tensor {
    if op == "down" { return maxpool(x, 2) }
    if op == "conv" { return conv2d(x, 8, kernel = 3, padding = "same") }
    return x
}
block cell(x: tensor) -> tensor {
    return edge(x, e1) + edge(edge(x, e2), e1)
}
model net(x: tensor[8, 8, 8]) -> tensor[4] {
    repeat 2 { x = cell(x) }
    return x |> global_avgpool |> dense(4)
}
