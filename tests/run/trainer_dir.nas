// The trainer runs in the .nas file's directory: `trainer exec "sh t.sh"` finds t.sh beside
// sub/trainer_dir.nas although nasrun runs from the parent directory.
// at: sub/trainer_dir.nas
// write: sub/t.sh = "[ -f trainer_dir.nas ] && echo '{\"accuracy\": 0.75}'\n"
// covers: trainer.exec
use std.layers

dataset d {
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
    data   d.train split 50% / 50%
    trials 2
}

// run: sub/trainer_dir.nas
// expect-store: SELECT DISTINCT state, reward FROM trial => [[1, 0.75]]
