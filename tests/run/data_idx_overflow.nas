// IDX header dimensions whose product overflows 64 bits (65536 x 2^24 x 2^24 = 2^64, which
// wraps to the 0 bytes of data the file has) are an error at load naming the file, the
// offset and the value; no trial runs (UBSan found the wrapped product in split.c).
// write: mn/train-images-idx3-ubyte = idx((65536, 16777216, 16777216))
// write: mn/train-labels-idx1-ubyte = idx((65536,))
// write: mn/t10k-images-idx3-ubyte = idx((4, 4, 4))
// write: mn/t10k-labels-idx1-ubyte = idx((4,), [i % 2 for i in range(4)])
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

// expect-exit: 2
// expect-stderr: mn/train-images-idx3-ubyte: header dimension 3 at byte offset 12 is 16777216: the dimensions' product overflows
// expect-store: SELECT count(*) FROM trial => [[0]]
