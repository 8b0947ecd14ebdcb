// The files hold labels of 2 classes, the declaration says 3: a warning naming the file at
// load, and the search runs.
// write: bin/train-images-idx3-ubyte = idx((8, 4, 4), [(i * 37) % 256 for i in range(128)])
// write: bin/train-labels-idx1-ubyte = idx((8,), [i % 2 for i in range(8)])
// write: bin/t10k-images-idx3-ubyte = idx((4, 4, 4))
// write: bin/t10k-labels-idx1-ubyte = idx((4,), [i % 2 for i in range(4)])
// covers: dataset.classes
use std.layers

dataset three {
    format  idx
    path    "bin"
    input   [1, 4, 4]
    classes 3
}

model m(x: tensor[1, 4, 4]) -> tensor[3] {
    return x |> flatten |> dense(choice w [2, 4]) |> relu |> dense(3)
}

reward { maximize accuracy }

search t {
    data   three.train split 50% / 50%
    batch  4
    trials 1
}

// expect-stderr: nasrun: warning: dataset `three`: /
// expect-stderr: /bin/train-images-idx3-ubyte has labels of 2 classes, the declaration says `classes 3`
// expect-store: SELECT count(*) FROM trial WHERE state = 1 => [[1]]
