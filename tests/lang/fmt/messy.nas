/* A file as people write it: odd spacing, comments everywhere. */
use   std.layers   // the layers

// a block
block hidden(x: tensor,width: int)->tensor {
    // inside, first
    let y = x |> dense(width)   // trailing


    return y |> relu
    // inside, last
}
model mlp(x: tensor[16]) -> tensor[4] { repeat (choice depth 1 .. 3) { x = hidden(x, 16) } return dense(x, 4) }
search s {
    data  blobs.train split 80% / 20%
    epochs 3 // few
    stop when converged(window = 5)
}
dataset blobs { format synthetic(n = 100, seed = 1)
  input [16]
  classes 4 }
// the end
