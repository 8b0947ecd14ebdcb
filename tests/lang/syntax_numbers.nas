// Integer and float literals (§1): underscores in integers, exponents, a digit on both sides of `.`.
let zero = 0
let answer = 42
let big = 1_000_000
let half = 0.5
let three = 3.0
let small = 1e-3
let large = 2.5e+4
let plain_exp = 6e2
let neg = -7
let negf = -0.25
