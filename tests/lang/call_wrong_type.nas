// NAS0506: an argument of the wrong type; ints are accepted for floats.
block lay(x: tensor, filters: int, rate: float = 0.5, on: bool = true) -> tensor { return x }
block b(x: tensor) -> tensor {
    x = lay(x, "sixteen")
// expect: error NAS0506 at 4:16
    x = lay(x, 16, rate = 1)
    return lay(x, 16, on = 1)
// expect: error NAS0506 at 7:28
}
