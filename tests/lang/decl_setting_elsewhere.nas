// NAS0601: a setting of another declaration says where it belongs.
controller {
    algorithm random
    epochs 3
// expect: error NAS0601 at 4:5
// expect: note at 4:5
}
