// NAS0612: without a reward the objective is the default `maximize accuracy`: one, so
// tpe's positional multiobjective (its fourth parameter) is refused too.
controller {
    algorithm tpe(10, 24, false, true)
// expect: error NAS0612 at 4:34
// expect-stderr: none but the default `maximize accuracy`
}
