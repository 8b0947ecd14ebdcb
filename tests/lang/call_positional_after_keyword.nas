// NAS0505: keyword arguments come after positional ones (§4): `f(k = v, a)` is an error at `a`.
block lay(x: tensor, filters: int, kernel: int = 3) -> tensor { return x }
block b(x: tensor) -> tensor {
    return lay(x, kernel = 3, 16)
// expect: error NAS0505 at 4:31
}
