// x.channels, x.height, x.width and x.shape[i] (i = 0, 1, 2: channels, height, width): a
// tensor's static shape (batch excluded), per block instance. `grow` reads the width its
// caller decides (w): as a layer argument, in arithmetic, in a branch that holds a decision
// of its own (its `k` exists only where the input has 16 channels), and `fixed` takes its
// choice domain from a width that is the same in every architecture. The per-architecture
// values show in the params of --sample.
// args: --sample 6 --method grid {file}
use std.layers
let w = choice w [8, 16]
block grow(x: tensor) -> tensor {
    let y = x |> conv2d(x.channels * 2, kernel = 1)
    if x.channels == 16 and x.height == 8 {
        y = y |> conv2d(x.width, kernel = choice k [1, 3])
    }
    return y
}
block fixed(x: tensor) -> tensor {
    let c = choice c [x.channels, x.channels + x.shape[0]]
    return x |> conv2d(c, kernel = 1)
}
model m(x: tensor[3, 8, 8]) -> tensor[10] {
    x = x |> conv2d(4) |> fixed
    x = x |> conv2d(w) |> grow
    return x |> global_avgpool |> flatten |> dense(10)
}
// 742 = conv 3->4 (112) + conv 4->4 1x1 (20) + conv 4->8 (296) + conv 8->16 1x1 (144) + dense 16->10
// (170); with w=16 grow's branch adds conv 32->8 (x.width) and k exists.
// expect-output: params 742       MACs 34720       fixed[0].c=4, w=8
// expect-output: params 1622      MACs 94032       fixed[0].c=4, w=16, grow[0].k=1
// expect-output: params 4266      MACs 262992      fixed[0].c=8, w=16, grow[0].k=3
