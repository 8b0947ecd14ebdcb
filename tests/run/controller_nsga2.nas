// `algorithm nsga2(...)` searches the Pareto front of two objectives: the trainer reports an
// accuracy that grows with the width and a cost that grows with it too (the front is every
// width, at depth 0 of the second decision). The controller is told both objectives
// (oriented: the minimized cost negated); the summary prints the front, here the whole true
// front (the five widths without extra). A resume with more
// trials replays the stored objectives into it and proposes as if never stopped: no "replayed
// proposals differ" note, and the first 12 rows are unchanged.
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
    algorithm nsga2(population = 4, crossover = 0.5)
    seed      2
}

search s {
    data   blobs.train split 50% / 50%
    trials 12
}

// expect-stderr: controller nsga2
// expect-stdout: Pareto front of stage 1 (max accuracy, min cost):
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[12]]
// run: {file} --trials 24
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-store: SELECT count(*) FROM trial WHERE state IN (1, 4) => [[24]]
// expect-store: SELECT count(DISTINCT arch_id) FROM trial WHERE json_extract(decisions, '$.extra') = 0 => [[5]]
// expect-stdout: 1005                    0.5            0
// expect-stdout: 1449                    0.9            4
