// NAS0508: a block that calls itself through another block would build an infinite network.
block ping(x: tensor) -> tensor { return pong(x) }
block pong(x: tensor) -> tensor { return ping(x) }
// expect: error NAS0508 at 3:42
