// A CSV cell `nan` is not a finite float: an error at load naming the file, the line and the
// column, before any trial.
// write: csv/train.csv = "label,a,b,c,d\n0,1,2,3,4\n1,2,3,nan,5\n"
// write: csv/test.csv = "0,1,2,3,4\n"
// covers: dataset.format
use std.layers

dataset d {
    format  csv
    path    "csv"
    input   [4]
    classes 2
}

model m(x: tensor[4]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   d.train split 50% / 50%
    batch  1
    trials 1
}

// expect-exit: 2
// expect-stderr: csv/train.csv:3: column 4 is `nan`, not a finite number
// expect-store: SELECT count(*) FROM trial => [[0]]
