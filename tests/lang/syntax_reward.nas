// `reward` (§3.7): objective, soft and hard constraints, report.
reward {
    maximize accuracy
    subject to latency <= 2ms soft(weight = -0.07)
    subject to params <= 1M hard
    subject to memory <= 64MB
    report params, flops, memory
}
