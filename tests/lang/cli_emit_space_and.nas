// `nasc --emit=space`: a decision under `if stride == 1 and wide` has one guard per decision
// tested: "parent" / "when" for the latest (wide == true), "and" for the others (stride
// index 0, the value 1); the size counts the conjunction: 3 + 3 = 6.
// args: --emit=space {file}
// expect-output: "parent": 1, "when": [[1, 1]], "and": [{"parent": 0, "when": [[0, 0]]}]}
// expect-output: "size": "6"
use std.layers
model net(x: tensor[4]) -> tensor[2] {
    let stride = choice stride [1, 2]
    let wide = choice wide bool
    if stride == 1 and wide { x = dense(x, choice width [4, 8, 16]) }
    return dense(x, 2)
}
