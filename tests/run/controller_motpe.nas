// `algorithm tpe(multiobjective = true)` (MOTPE): TPE told both objectives of the reward
// (oriented: the minimized cost negated) splits its results into good and bad by Pareto front.
// The trainer's accuracy grows with the width and so does its cost; the true front is every
// width without extra. The summary prints the front the search found (4 of the 5 points in 24
// trials). A resume with more trials replays the stored objectives into it and proposes as if
// never stopped: no "replayed proposals differ" note.
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
    algorithm tpe(startup = 4, multiobjective = true)
    seed      2
}

search s {
    data   blobs.train split 50% / 50%
    trials 12
}

// expect-stderr: controller tpe
// expect-stdout: Pareto front of stage 1 (max accuracy, min cost):
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[12]]
// run: {file} --trials 24
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[24]]
// expect-store: SELECT count(DISTINCT arch_id) FROM trial WHERE json_extract(decisions, '$.extra') = 0 => [[4]]
// expect-stdout: 1005                    0.5            0
// expect-stdout: 1449                    0.9            4
