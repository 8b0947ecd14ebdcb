// An external trainer trains, so the stage's training settings reach it as NAS_TRAINING (JSON),
// with the architecture's decided values applied; NAS_EPOCHS is the decided epochs too. The
// trainer reports what it received: batch, lr and label smoothing from the search's settings,
// epochs decided.
// write: t.py = "import json, os\nt = json.loads(os.environ['NAS_TRAINING'])\nprint(json.dumps({'accuracy': 0.5, 'batch': t['batch'], 'lr': t['optimizer']['lr'], 'kind': 1 if t['optimizer']['kind'] == 'adam' else 0, 'epochs': t['epochs'], 'env_epochs': int(os.environ['NAS_EPOCHS']), 'clip': t['clip_norm'], 'warmup': t['schedule']['warmup'], 'smooth': t['label_smoothing']}))\n"
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [4, 8]) |> relu |> dense(2)
}

reward {
    maximize accuracy
}

controller {
    algorithm grid
}

trainer exec "python3 t.py"

search s {
    data      blobs.train split 50% / 50%
    trials    4
    batch     32
    optimizer adam(lr = 0.003)
    schedule  cosine(warmup = 7)
    clip_norm 2.5
    label_smoothing 0.2
    epochs    choice ep [2, 3]
}

// expect-store: SELECT count(*), min(json_extract(metrics, '$.batch')), max(json_extract(metrics, '$.lr')), min(json_extract(metrics, '$.kind')), max(json_extract(metrics, '$.clip')), max(json_extract(metrics, '$.warmup')), max(json_extract(metrics, '$.smooth')) FROM trial WHERE state = 1 => [[4, 32, 0.003, 1, 2.5, 7, 0.2]]
// expect-store: SELECT count(*) FROM trial WHERE state = 1 AND json_extract(metrics, '$.epochs') = json_extract(decisions, '$.ep') AND json_extract(metrics, '$.env_epochs') = json_extract(decisions, '$.ep') => [[4]]
// expect-store: SELECT count(DISTINCT json_extract(metrics, '$.epochs')) FROM trial WHERE state = 1 => [[2]]
