// One shared decision that makes one block cheap and the other dear: the sum of each block's
// own minimum is no architecture's. The factored extremes disagree, so the bounds must come
// from the exact pass and equal the brute force's.
use std.layers
let w = choice w ["narrow", "wide"]
block a(x: tensor, m: string) -> tensor {
    if m == "narrow" { return conv2d(x, 8, kernel = 1) }
    return conv2d(x, 32, kernel = 1)
}
block b(x: tensor, m: string) -> tensor {
    if m == "narrow" { return conv2d(x, 32, kernel = 1) }
    return conv2d(x, 8, kernel = 1)
}
model net(x: tensor[8, 4, 4]) -> tensor[4] {
    let y = a(x, w)
    let z = b(x, w)
    return concat([y, z]) |> global_avgpool |> dense(4)
}
