// crop (issue 18): [C, H, W] -> [C, H - above - below, W - left - right]. Removing every row
// is NAS0901 where it happens (above = 2: 2 + 6 rows of 8).
use std.layers
model net(x: tensor[1, 8, 8]) -> tensor[10] {
    let a = x |> crop(above = choice t [1, 2], below = 6)
// expect: error NAS0901 at 5:18
// expect: note at 5:18
    return a |> flatten |> dense(10)
}
