// `dataset` with the synthetic format (§3.2): data made on the fly, no path.
dataset noise {
    format  synthetic(n = 1000, seed = 1)
    input   [16]
    classes 4
}
