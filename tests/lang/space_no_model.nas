// NAS0803: a search with no model to train; the error is at the top of the file.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data   d.train split 90% / 10%
    trials 30
}
// expect: error NAS0803 at 1:1
