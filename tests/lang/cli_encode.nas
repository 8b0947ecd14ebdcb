// `nasc --encode DECISIONS`: the ID of the architecture the decisions describe, the one
// `nasc --sample` pairs with them (18ZDF: width=16, head=x, depth=3, ...); the decisions this
// architecture does not have (k: head is not the conv; none past depth) are left out, and a
// number matches by value (16.0 is the 16 of width).
// args: --encode "width=16.0, head=x, depth=3, k2[0]=3, act[0]=sigmoid, k2[1]=3, act[1]=relu, k2[2]=3, act[2]=relu" {file}
// expect-output: 18ZDF
use std.layers
model m(x: tensor[1, 8, 8]) -> tensor[4] {
    let w = choice width [8, 16]
    x = oneof head [conv2d(x, w, kernel = choice k [1, 3], padding = "same"), x]
    repeat choice depth 1 .. 3 {
        x = conv2d(x, 4, kernel = choice k2 [1, 3], padding = "same") |> choice act [relu, sigmoid]
    }
    return x |> global_avgpool |> dense(4)
}
