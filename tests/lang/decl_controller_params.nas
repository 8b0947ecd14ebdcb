// NAS0612: controller parameters are checked where they are written, not when nasrun starts.
controller {
    algorithm evolution(population = 8, sample = 16)
// expect: error NAS0612 at 3:50
// expect: note at 3:38
}

controller c2 {
    algorithm reinforce(lr = 0, baseline = 1.0, entropy = -0.1)
// expect: error NAS0611 at 8:1
// expect: error NAS0612 at 9:30
// expect: error NAS0612 at 9:44
// expect: error NAS0612 at 9:59
}
