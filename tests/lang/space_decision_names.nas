// §5 decision names: the name after the keyword, else the `let` it initialises, else its
// source position (`choice@L:C`); inside a block instance, qualified by the instance path.
// args: --emit=space {file}
// expect-output: "name": "width"
// expect-output: "name": "stage[0].kernel"
// expect-output: "name": "stage[1].kernel"
// expect-output: "name": "stage[0].act"
// expect-output: "name": "stage[1].choice@15:62"
// expect-exit: 0
use std.layers

let width = choice [8, 16]

block stage(x: tensor) -> tensor {
    x = x |> conv2d(width, kernel = choice kernel [3, 5]) |> choice [relu, sigmoid]
    let act = choice [relu, identity]
    return x |> act
}

model net(x: tensor[1, 8, 8]) -> tensor[2] {
    x = stage(x)
    x = stage(x)
    return x |> global_avgpool |> dense(2)
}
