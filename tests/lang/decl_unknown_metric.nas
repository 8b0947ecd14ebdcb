// NAS0609: without a `trainer`, reward metrics are the built-in ones only.
reward {
    maximize accuracy
    minimize latncy
// expect: error NAS0609 at 4:14
}
