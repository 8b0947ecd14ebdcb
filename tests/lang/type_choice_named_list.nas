// NAS0413: `choice name ops` needs `ops` to be a let of a list literal (a number, a parameter
// or a reassigned let is not).
use std.layers
let notlist = 3
block b(x: tensor, ws: list) -> tensor {
    return x |> dense(choice w ws)
// expect: error NAS0413 at 6:32
}
model m(x: tensor[8]) -> tensor[4] {
    let a = choice e2 notlist
// expect: error NAS0413 at 10:23
// expect: note at 4:5
    return x |> dense(a) |> b([4, 8]) |> dense(4)
}
