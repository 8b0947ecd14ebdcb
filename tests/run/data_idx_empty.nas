// An IDX file of no images is an error at load naming the file (it leaked the other part's
// data before: LeakSanitizer in idx.c).
// write: mn/train-images-idx3-ubyte = idx((8, 4, 4))
// write: mn/train-labels-idx1-ubyte = idx((8,), [i % 2 for i in range(8)])
// write: mn/t10k-images-idx3-ubyte = idx((0, 4, 4))
// write: mn/t10k-labels-idx1-ubyte = idx((0,))
// covers: dataset.format
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

train full {
    from s top 1
    data mn.train / mn.test
}

// expect-exit: 2
// expect-stderr: mn/t10k-images-idx3-ubyte: no images (the header at byte offset 4 says 0)
// expect-store: SELECT count(*) FROM trial => [[0]]
