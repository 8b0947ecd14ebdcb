// NAS0612: `multiobjective = true` with a reward of one objective would run the scalar controller
// (a setting with no effect): refused at the setting, the reward noted; positional form too.
reward {
    maximize accuracy
    subject to params <= 1M hard
}
// expect: note at 3:1
controller {
    algorithm bo(startup = 4, multiobjective = true)
// expect: error NAS0612 at 9:48
}
