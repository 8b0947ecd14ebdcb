// A label past `classes` is an error at load naming the file, the example and its byte offset.
// write: mn/train-images-idx3-ubyte = idx((8, 4, 4), [(i * 37) % 256 for i in range(128)])
// write: mn/train-labels-idx1-ubyte = idx((8,), [0, 1, 0, 1, 0, 5, 0, 1])
// write: mn/t10k-images-idx3-ubyte = idx((4, 4, 4))
// write: mn/t10k-labels-idx1-ubyte = idx((4,), [i % 2 for i in range(4)])
// covers: dataset.classes
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
// expect-stderr: mn/train-labels-idx1-ubyte: label 5 of example 5 (byte offset 13) is out of range [0, 2): the declaration says `classes 2`
// expect-store: SELECT count(*) FROM trial => [[0]]
