// NAS0602: a setting given twice in one declaration.
controller {
    algorithm random
    seed 7
    seed 8
// expect: error NAS0602 at 5:5
// expect: note at 4:5
}
