// A search's `time_limit` (and `elapsed`) count from the start of the stage, not of nasrun:
// the proxy design before it (6 trials of the 0.8 s trainer, one at a time: about 5 s) must
// not eat stage 1's 3 s, so stage 1 trains its 2 trials (1.6 s). Counted from nasrun's start,
// as it was, stage 1 stopped after 0 trials (the main job's 30-minute stage 1 did, after a
// 40-minute design).
use std.layers

dataset d {
    format  synthetic(n = 40, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "sleep 0.8; echo {\\\"accuracy\\\": 0.$(echo $NAS_DECISIONS | tr -dc 0-9)}"

controller {
    algorithm grid
    seed      1
}

search s {
    data       d.train split 50% / 50%
    trials     2
    time_limit 3s
    stop when  elapsed > 2900ms
}

train full {
    from   s top 1
    data   d.train / d.test
}

proxy design {
    reference 3
    epochs    [1]
    data      [50%]
    keep when correlation >= -1
}

// expect-not: stop rule met after 0 trials
// expect-store: SELECT stage, count(*) FROM trial WHERE stage >= 0 GROUP BY stage ORDER BY stage => [[1, 2], [2, 1]]
