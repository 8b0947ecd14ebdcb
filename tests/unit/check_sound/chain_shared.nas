// A shared decision read in every iteration of a chain and before it, with opposite costs:
// the factored pass's extremes mix its values (no architecture), which the loop tails'
// witnesses of each extreme must show, so the exact pass gives the bounds.
// expect-feasible: exact
use std.layers
let w = choice w ["narrow", "wide"]
block a(x: tensor, m: string) -> tensor {
    if m == "narrow" { return conv2d(x, 8, kernel = 1) }
    return conv2d(x, 32, kernel = 1)
}
block layer(x: tensor, m: string) -> tensor {
    let c = choice c [1, 2]
    if m == "narrow" { return conv2d(x, 16 * c, kernel = 1) }
    return conv2d(x, 4 * c, kernel = 1)
}
model net(x: tensor[8, 4, 4]) -> tensor[4] {
    let y = a(x, w)
    repeat 3 { x = layer(x, w) }
    return concat([y, x]) |> global_avgpool |> dense(4)
}
