// NAS0610: `subject to` compares a metric with a target; soft needs <= or >= and a target > 0.
reward {
    maximize accuracy
    subject to latency == 2ms soft(weight = -0.07)
// expect: error NAS0610 at 4:16
    subject to accuracy
// expect: error NAS0610 at 6:16
    subject to latency <= 0ms soft(weight = -0.07)
// expect: error NAS0610 at 8:16
}
