// Two-input cells that may ignore their first input, which has layers of its own, and a model
// that may ignore the last one: which of the loop's two results is live (p, x or both)
// differs from path to path, inside the loop and after it, and p's layers count only where
// something live reads them.
// expect-feasible: exact
use std.layers
block cell(p: tensor, x: tensor) -> tensor {
    let y = x |> dense(choice w [4, 8])
    if choice mix bool { y = add(y, p |> dense(y.channels)) }
    return relu(y)
}
model net(x: tensor[8]) -> tensor[2] {
    let p = x |> dense(6)
    repeat 4 {
        let y = cell(p, x)
        p = x |> dense(choice pw [3, 5])
        x = y
    }
    if choice last bool { x = concat([x, p]) }
    return dense(x, 2)
}
