// NAS0107: a quantity is a number immediately followed by its unit (§1). `2 ms` is reported
// at the unit, with the fix, and read as `2ms`, so nothing after it cascades.
let ok = 2ms
let bad = 2 ms
// expect: error NAS0107 at 4:13
let big = 64	MB
// expect: error NAS0107 at 6:14
reward {
    maximize accuracy
    subject to latency <= 200 ms soft(weight = -0.07)
// expect: error NAS0107 at 10:31
}
search s {
    trials 30
    time_limit 20 min
// expect: error NAS0107 at 15:19
}
// Not a unit: a name after a number is still two expressions side by side.
let two = 2 msec
// expect: error NAS0201 at 19:13
