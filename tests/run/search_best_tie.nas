// Stage 1's "best" line names what stage 2 trains, also when rewards tie: the lowest seq
// among equal rewards (the stage ranking's rule). Both widths score 0.5; seq 0 (w = 4, ID
// 1172) ends after seq 1 (w = 2, ID 1061), so a tally that kept the first result to arrive
// named 1061 while stage 2 trained 1172.
use std.layers

dataset d {
    format  synthetic(n = 40, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "[ $(echo $NAS_DECISIONS | tr -dc 0-9) = 4 ] && sleep 1.5; echo {\\\"accuracy\\\": 0.5}"

controller {
    algorithm grid
    seed      1
}

search s {
    data     d.train split 50% / 50%
    trials   2
    parallel 2
}

train full {
    from   s top 1
    data   d.train / d.test
}

// expect-stderr: best reward 0.5000: 1172
// expect-store: SELECT seq, arch_id FROM trial WHERE stage = 2 => [[0, "1172"]]
