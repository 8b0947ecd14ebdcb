// std.spaces.mlp — a multilayer perceptron space: 1 to 4 hidden layers, each with its own
// width, activation and dropout. Use: `return mlp_space(x, 10)` in a model.
use std.layers

block mlp_layer(x: tensor) -> tensor {
    let units = choice units [64, 128, 256, 512]
    x = x |> dense(units) |> choice activation [relu, gelu, swish, tanh]
    if choice use_dropout bool {
        x = x |> dropout(choice rate [10%, 25%, 50%])
    }
    return x
}

block mlp_space(x: tensor, classes: int) -> tensor {
    x = flatten(x)
    x = mlp_layer(x)
    repeat choice extra_layers 0 .. 3 {
        x = mlp_layer(x)
    }
    return dense(x, classes)
}
