// §5: a branch over decisions and a fixed value: `stride == 1 and c_in == c_out` in a block,
// c_in fixed per instance, stride and c_out decided. Per instance, of the 4 combinations only
// (stride 1, c_out == c_in) adds a 3-way width: 3 + 3 = 6; two instances: 6 * 6 = 36.
// expect-output: 6 decisions (2 conditional), 36 architectures
use std.layers
block cell(x: tensor, c_in: int) -> tensor {
    let c_out = choice c_out [4, 8]
    let stride = choice stride [1, 2]
    if stride == 1 and c_in == c_out { x = dense(x, choice extra [4, 8, 16]) }
    return dense(x, c_out)
}
model net(x: tensor[4]) -> tensor[2] {
    x = cell(x, 4)
    x = cell(x, 8)
    return dense(x, 2)
}
