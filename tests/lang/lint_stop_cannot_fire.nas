// NAS0704: stop rules that can never become true are warnings at the rule.
dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [4]
    classes 2
}
search s {
    data   d.train split 90% / 10%
    trials 40
    time_limit 1h
    stop when trials > 40 or failed > 100% or elapsed >= 2h or converged(window = 40) or trials >= 10
// expect: warning NAS0704 at 11:15
// expect: note at 9:12
// expect: warning NAS0704 at 11:30
// expect: warning NAS0704 at 11:47
// expect: note at 10:16
// expect: warning NAS0704 at 11:64
}

use std.layers
model net(x: tensor[4]) -> tensor[2] { return dense(x, 2) }
