// `trainer` (§3.12): the named block form with a timeout.
trainer custom {
    exec    "python3 train.py"
    timeout 30min
}
