// A decision only the external trainer reads (`trainer ... decisions [lr]`) is a shared
// decision of the space: every trial's NAS_DECISIONS carries its own sampled value. The
// trainer saves what it received and reports the value as its accuracy.
// write: t.py = "import json, os\nd = os.environ['NAS_DECISIONS']\nopen('dec_' + os.environ['NAS_TRIAL_SEQ'] + '.json', 'w').write(d)\nprint(json.dumps({'accuracy': json.loads(d)['learning_rate']}))\n"
// covers: trainer.decisions
use std.layers

dataset d {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

let lr = choice learning_rate 1e-4 .. 1e-2 log

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer custom {
    exec      "python3 t.py"
    decisions [lr]
}

search s {
    data   d.train split 50% / 50%
    trials 3
}

// expect-not: NAS0705
// expect-file: dec_1.json => "learning_rate":
// expect-store: SELECT COUNT(*), COUNT(DISTINCT reward) FROM trial WHERE state = 1 AND reward BETWEEN 0.0001 AND 0.01 => [[3, 3]]
