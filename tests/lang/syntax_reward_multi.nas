// A named reward with several objectives and `ref` points: a Pareto front (§3.7).
reward front {
    maximize accuracy ref 0.5
    minimize latency ref 5ms
    minimize memory ref 32MB
    minimize loss
    report params, flops
}
