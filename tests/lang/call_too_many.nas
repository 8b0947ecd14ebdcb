// NAS0503: more positional arguments than parameters (the pipeline's left side counts).
block lay(x: tensor, filters: int, kernel: int = 3) -> tensor { return x }
block b(x: tensor) -> tensor {
    x = lay(x, 16, 3, 1)
// expect: error NAS0503 at 4:23
    return x |> lay(x, 16, 3)
// expect: error NAS0503 at 6:28
}
