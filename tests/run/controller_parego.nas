// `algorithm bo(multiobjective = true)` (ParEGO): BO told both objectives of the reward
// (oriented: the minimized cost negated) models, each ask, their augmented Tchebycheff
// scalarisation under a new weight vector. The trainer's accuracy grows with the width and so
// does its cost; the true front is every width without extra (5 of the 20 architectures). In
// 12 trials the search finds all 5 (bo told the accuracy alone, `multiobjective = false`, finds
// 4 with this seed and with seeds 3 to 5: it leaves the cheap end). A resume with more trials
// replays the stored objectives (and the weight vectors drawn) and proposes as if never stopped:
// no "replayed proposals differ" note.
// covers: controller.algorithm
// write: t.py = "import json, os\nd = json.loads(os.environ['NAS_DECISIONS'])\nprint(json.dumps({'accuracy': 0.5 + 0.1 * d['w'] - 0.05 * d['extra'], 'cost': d['w'] + d['extra']}))\n"
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(2 + choice w 0 .. 4) |> relu |> dense(2 + choice extra 0 .. 3) |> relu |> dense(2)
}

reward {
    maximize accuracy
    minimize cost
}

trainer exec "python3 t.py"

controller {
    algorithm bo(startup = 4, multiobjective = true)
    seed      2
}

search s {
    data   blobs.train split 50% / 50%
    trials 12
}

// expect-stderr: controller bo
// expect-stdout: Pareto front of stage 1 (max accuracy, min cost):
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[12]]
// expect-store: SELECT count(DISTINCT arch_id) FROM trial WHERE json_extract(decisions, '$.extra') = 0 => [[5]]
// run: {file} --trials 16
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[16]]
// expect-stdout: 1005                    0.5            0
// expect-stdout: 1449                    0.9            4
