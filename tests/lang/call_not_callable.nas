// NAS0507: only blocks, layers and functions are called; a number and a model are not.
let n = 3
let v = n(2)
// expect: error NAS0507 at 3:9
model net(x: tensor[4]) -> tensor[4] { return x }
block b(x: tensor) -> tensor {
    return x |> net
// expect: error NAS0507 at 7:17
}
