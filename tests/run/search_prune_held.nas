// A repeat of an architecture whose trial is still in flight waits for it (held), and when
// that trial ends `pruned` the repeat is answered `cached` from it, with its low-fidelity
// reward and the reason "repeats a pruned architecture: its low-fidelity result", not trained
// again. The timing is forced, not raced: the trainer of w = 2 (the worst) stays in flight
// until the store holds a second proposal of w = 2 (the held one); then ASHA stops it at its
// first rung (epoch 1 of 3), since a better trial was told before it was proposed. The held
// repeat was proposed before that trial's result was recorded (ask_event < its tell_event).
// covers: search.prune
// write: t.py = "import glob, json, os, sqlite3, time\nw = json.loads(os.environ['NAS_DECISIONS'])['w']\nfinal = {2: 0.5, 4: 0.6, 8: 0.7, 16: 0.8}[w]\nif w == 2:\n    db = glob.glob('*.nasdb')[0]\n    for _ in range(600):\n        c = sqlite3.connect('file:' + db + '?mode=ro', uri=True, timeout=10)\n        n = c.execute(\"SELECT count(*) FROM trial WHERE stage = 1 AND json_extract(decisions, '$.w') = 2\").fetchone()[0]\n        c.close()\n        if n >= 2:\n            break\n        time.sleep(0.05)\nE = int(os.environ['NAS_EPOCHS'])\nfor e in range(1, E + 1):\n    print(json.dumps({'epoch': e, 'accuracy': final * e / E}), flush=True)\nprint(json.dumps({'accuracy': final}))\n"
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer exec "python3 t.py"

controller {
    algorithm random
    seed      3
}

search s {
    data     blobs.train split 50% / 50%
    trials   10
    epochs   3
    parallel 2
    prune    asha(min = 1, reduction = 3)
}

// expect-stdout: stage 1 pruned 2 of 4 trials (asha): 8 of 12 epochs run, 4 saved (33%)
// expect-store: SELECT seq, state, json_extract(metrics, '$.epoch'), round(reward, 4) FROM trial WHERE stage = 1 AND json_extract(decisions, '$.w') = 2 AND state IN (1, 5) => [[2, 5, 1, 0.1667]]
// expect-store: SELECT state, ask_event < (SELECT tell_event FROM trial WHERE stage = 1 AND seq = 2), json_extract(decisions, '$.w'), json_extract(metrics, '$.epoch'), round(reward, 4), reason FROM trial WHERE stage = 1 AND seq = 3 => [[4, 1, 2, 1, 0.1667, "repeats a pruned architecture: its low-fidelity result"]]
