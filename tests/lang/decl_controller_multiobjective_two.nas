// Two objectives: `multiobjective = true` is accepted (ParEGO over both).
reward {
    maximize accuracy
    minimize params
}
controller {
    algorithm bo(multiobjective = true)
}
// expect-no-diagnostics
