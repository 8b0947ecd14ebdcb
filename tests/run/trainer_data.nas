// An external trainer learns each stage's data from NAS_DATA: the parts the declaration names,
// their format and path (resolved against the file's directory), a search's split fractions
// and seed, a train's validation part.
// write: t.sh = "echo \"$NAS_DATA\" > data_$NAS_STAGE.json\necho '{\"accuracy\": 0.5}'\n"
// covers: trainer.exec, search.seed
use std.layers

dataset d {
    format  csv
    path    "csv"
    input   [8]
    classes 2
}

dataset e {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "sh t.sh"

search s {
    data   d.test split 70% / 30%
    trials 1
    seed   5
}

train full {
    from s top 1
    data d.train / e.test
}

// expect-file: data_1.json => {"stage": 1, "kind": "search", "name": "s", "train": {"dataset": "d", "part": "test", "format": "csv", "path": "/
// expect-file: data_1.json => /trainer_data/csv", "fraction": 0.7}, "validate": {"dataset": "d", "part": "test", "format": "csv", "path": "/
// expect-file: data_1.json => "fraction": 0.3}, "split_seed": 5}
// expect-file: data_2.json => {"stage": 2, "kind": "train", "name": "full", "train": {"dataset": "d", "part": "train", "format": "csv", "path": "/
// expect-file: data_2.json => "validate": {"dataset": "e", "part": "test", "format": "synthetic", "path": null}}
