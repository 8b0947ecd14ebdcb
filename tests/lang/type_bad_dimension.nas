// NAS0417: tensor dimensions are constant ints greater than zero.
block m(x: tensor[1, 0, 28]) -> tensor { return x }
// expect: error NAS0417 at 2:22
block n(x: tensor[1, 2.5, 28]) -> tensor { return x }
// expect: error NAS0417 at 4:22
