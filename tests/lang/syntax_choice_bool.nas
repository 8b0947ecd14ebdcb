// `choice bool` (§5): anonymous and named.
let a = choice bool
let b = choice use_se bool
let both = a and b
