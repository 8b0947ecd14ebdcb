// NAS0612: nsga2's and a search's prune parameters are checked where they are written.
controller {
    algorithm nsga2(population = 1, crossover = 1.5)
// expect: error NAS0612 at 3:34
// expect: error NAS0612 at 3:49
}

dataset d {
    format  synthetic(n = 10, seed = 1)
    input   [4]
    classes 2
}

search s1 {
    data   d.train split 50% / 50%
    trials 4
    prune  asha(min = 3, max = 2, reduction = 1)
// expect: error NAS0612 at 17:32
// expect: error NAS0612 at 17:47
}

search s2 {
    data   d.train split 50% / 50%
    trials 4
    prune  median(startup = -1, warmup = -2)
// expect: error NAS0612 at 25:29
// expect: error NAS0612 at 25:42
}

search s3 {
    data   d.train split 50% / 50%
    trials 4
    prune  asha(min = 0)
// expect: error NAS0612 at 33:23
}
