// NAS0502: a parameter without default gets no argument; in `x |> f(a)` x is the first one.
block lay(x: tensor, filters: int, kernel: int = 3) -> tensor { return x }
block b(x: tensor) -> tensor {
    x = lay(x)
// expect: error NAS0502 at 4:9
    return x |> lay(kernel = 5)
// expect: error NAS0502 at 6:17
}
