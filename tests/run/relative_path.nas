// A relative dataset `path` is the .nas file's (as `use` paths are), not the working
// directory's: nasrun runs from the parent of sub/, the data sit in sub/csv.
// at: sub/relative_path.nas
// write: sub/csv/train.csv = rows(40, lambda i: str(i % 2) + "," + ",".join(str((i % 2) * 2 - 1 + k * 0.01) for k in range(8)))
// write: sub/csv/test.csv = rows(10, lambda i: str(i % 2) + "," + ",".join(str((i % 2) * 2 - 1) for k in range(8)))
// covers: dataset.path
use std.layers

dataset d {
    format  csv
    path    "csv"
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   d.train split 75% / 25%
    batch  10
    trials 1
}

// run: sub/relative_path.nas
// expect-stderr: trains on 30 of d.train, validates on the other 10
// expect-store: SELECT json_extract(metrics, '$.train_examples') FROM trial => [[30]]
