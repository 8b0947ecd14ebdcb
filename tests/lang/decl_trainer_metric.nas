// With a `trainer`, any metric name is one the external trainer reports (§3.7, §3.12): no error.
trainer exec "python3 train.py --arch $NAS_ARCH_FILE"
reward {
    maximize top5_accuracy
    minimize energy_mj ref 10.0
}
