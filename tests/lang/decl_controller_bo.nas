// NAS0612: bo needs at least one uniform proposal before its model (`startup` >= 1).
controller {
    algorithm bo(startup = 0)
// expect: error NAS0612 at 3:28
}
