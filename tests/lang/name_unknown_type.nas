// NAS0310: an unknown parameter type (a note suggests `tensor`), and a shape on a non-tensor.
block b(x: tensr, n: int[3]) -> tensor { return x }
// expect: error NAS0310 at 2:12
// expect: note at 2:12
// expect: error NAS0310 at 2:22
