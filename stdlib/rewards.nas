// std.rewards — reward functions of the NAS literature, implemented by the runtime.

// MnasNet (Tan et al. 2019), soft constraint: accuracy * (latency / target)^w.
// w = -0.07 trades about 5% accuracy for 2x latency.
extern fn mnasnet(accuracy: float, latency: time, target: time, w: float = -0.07) -> float

// MnasNet hard constraint: w = 0 when latency <= target, else -1.
extern fn mnasnet_hard(accuracy: float, latency: time, target: time) -> float

// TuNAS (Bender et al. 2020) absolute reward: accuracy + beta * |latency / target - 1|.
extern fn tunas(accuracy: float, latency: time, target: time, beta: float = -0.07) -> float
