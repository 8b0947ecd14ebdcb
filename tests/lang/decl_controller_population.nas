// NAS0612: an evolution of one, and a tournament larger than the default population (64).
controller {
    algorithm evolution(1)
// expect: error NAS0612 at 3:25
}
controller other {
    algorithm evolution(sample = 100)
// expect: error NAS0611 at 6:1
// expect: error NAS0612 at 7:34
// expect: note at 7:15
}
