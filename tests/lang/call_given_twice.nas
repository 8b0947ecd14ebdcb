// NAS0504: a parameter filled twice: a repeated keyword, or a keyword for a positional one.
block lay(x: tensor, filters: int, kernel: int = 3) -> tensor { return x }
block b(x: tensor) -> tensor {
    x = lay(x, 16, kernel = 3, kernel = 5)
// expect: error NAS0504 at 4:32
    return lay(x, 16, filters = 8)
// expect: error NAS0504 at 6:23
}
