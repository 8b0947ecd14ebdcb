// NAS0501: the callee has no parameter of that name; a close name is suggested.
block lay(x: tensor, filters: int, kernel: int = 3) -> tensor { return x }
block b(x: tensor) -> tensor {
    return lay(x, 16, kernal = 5)
// expect: error NAS0501 at 4:23
// expect: note at 2:7
}
