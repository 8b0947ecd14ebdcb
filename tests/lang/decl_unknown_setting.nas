// NAS0601: a setting the declaration does not take; a close name is suggested.
controller {
    algorithm random
    sede 7
// expect: error NAS0601 at 4:5
}
