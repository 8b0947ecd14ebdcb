// A block reads a shared decision itself and passes it on to another block that fails for one
// of its values. In the factored pass the failure shows with the caller's other value (the
// decisions disagree, so it is not reported there); the exact pass must find and report it.
use std.layers
let e1 = choice e1 ["skip", "big"]
block edge(x: tensor, op: string) -> tensor {
    if op == "big" { return maxpool(x, 16) }
    return x
}
block cell(x: tensor) -> tensor {
    if e1 == "skip" { x = relu(x) }
    return edge(x, e1)
}
model net(x: tensor[8, 8, 8]) -> tensor[4] {
    x = cell(x)
    return x |> global_avgpool |> dense(4)
}
