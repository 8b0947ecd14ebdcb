// NAS0605: a setting that takes one of a fixed set of options: `evolutoin` is none of them.
controller {
    algorithm evolutoin(population = 8)
// expect: error NAS0605 at 3:15
}
dataset d {
    format  parquet
// expect: error NAS0605 at 7:13
    path    "x.parquet"
    input   [4]
    classes 2
}
