// Nested repeats: the inner loop's tails run inside the outer loop's, each with its own
// iteration chain ("1.0").
use std.layers
block layer(x: tensor) -> tensor {
    return x |> dense(choice c [4, 8, 12]) |> relu
}
model net(x: tensor[8]) -> tensor[2] {
    repeat 3 {
        repeat 2 { x = layer(x) }
        x = x |> dense(choice out [4, 8])
    }
    if choice last bool { x = x + (x |> dense(8)) }
    return dense(x, 2)
}
