// A constraint is `subject to cond` (§3.7): `to` is required; the error is at the token after `subject`.
reward {
    maximize accuracy
    subject latency <= 2ms
// expect: error NAS0201 at 4:13
}
