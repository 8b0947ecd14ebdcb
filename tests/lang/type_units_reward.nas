// NAS0401 in a reward: a latency compared with a memory (§1, the example in LANGUAGE.md).
reward {
    maximize accuracy
    subject to latency <= 4MB
// expect: error NAS0401 at 4:16
}
