// NAS0612: ppo's parameters are checked where they are written, not when nasrun starts.
controller {
    algorithm ppo(lr = 0, clip = 0, batch = 1, epochs = 0, entropy = -0.5)
// expect: error NAS0612 at 3:24
// expect: error NAS0612 at 3:34
// expect: error NAS0612 at 3:45
// expect: error NAS0612 at 3:57
// expect: error NAS0612 at 3:70
}
