// `nasc --encode`: an active decision left out is refused (depth 2 has a second layer, whose
// k2[1] and act[1] the list lacks); a value with commas of its own (the oneof's label, cut
// short in the table) stays one item.
// args: --encode "width=8, head=conv2d(x, w, kernel = choice k [1, 3], paddi..., k=3, depth=2, k2[0]=1, act[0]=relu" {file}
// expect-exit: 1
// expect-stderr: nasc: --encode: decision `k2[1]` is not given
use std.layers
model m(x: tensor[1, 8, 8]) -> tensor[4] {
    let w = choice width [8, 16]
    x = oneof head [conv2d(x, w, kernel = choice k [1, 3], padding = "same"), x]
    repeat choice depth 1 .. 3 {
        x = conv2d(x, 4, kernel = choice k2 [1, 3], padding = "same") |> choice act [relu, sigmoid]
    }
    return x |> global_avgpool |> dense(4)
}
