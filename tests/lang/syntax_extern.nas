// `extern` declarations (§3.3): a built-in block and a built-in function, with defaults.
extern block my_conv(x: tensor, filters: int, kernel: int = 3, stride: int = 1) -> tensor
extern fn my_reward(acc: float, latency: float, target: float, w: float = -0.07) -> float
extern fn flag(on: bool, label: string) -> bool
