// The IDX files' image shape is checked against the declared `input` at load, before any
// trial: 3 x 3 images against [1, 4, 4], naming the file and both shapes.
// write: mn/train-images-idx3-ubyte = idx((8, 3, 3))
// write: mn/train-labels-idx1-ubyte = idx((8,), [i % 2 for i in range(8)])
// write: mn/t10k-images-idx3-ubyte = idx((4, 3, 3))
// write: mn/t10k-labels-idx1-ubyte = idx((4,), [i % 2 for i in range(4)])
// covers: dataset.input
use std.layers

dataset mn {
    format  idx
    path    "mn"
    input   [1, 4, 4]
    classes 2
}

model m(x: tensor[1, 4, 4]) -> tensor[2] {
    return x |> flatten |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   mn.train split 50% / 50%
    batch  4
    trials 1
}

// expect-exit: 2
// expect-stderr: nasrun: dataset `mn`: 
// expect-stderr: mn/train-images-idx3-ubyte: its images are [3, 3] (one example [1, 3, 3]), the declaration says `input [1, 4, 4]`
// expect-store: SELECT count(*) FROM trial => [[0]]
