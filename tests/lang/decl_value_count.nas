// NAS0608: a setting that takes one value got several (only `report` and `normalize` take more).
controller {
    algorithm random
    seed 1, 2
// expect: error NAS0608 at 4:13
}
