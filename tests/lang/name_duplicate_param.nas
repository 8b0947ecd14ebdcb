// NAS0302: two parameters of one block with the same name.
block b(x: tensor, c: int, c: int) -> tensor { return x }
// expect: error NAS0302 at 2:28
