// A 40-element subset (3 of 40: 9880 picks, more than a 31-bit mask held) searched by the
// controllers that read a subset's elements: tpe (a Parzen estimator per element, here past
// its 4 random start-up trials), evolution and local (a move swaps one picked element for one
// left out), bo (a Hamming kernel over the picks) and reinforce (a uniform pick: no logits
// for a subset). The trainer's accuracy is the share of the picks among 0 .. 4. Each run
// proposes only valid picks of 3 distinct elements below 40, and resumes with more trials
// replaying its stored results (no "replayed proposals differ"). With seed 3, tpe's 8 trials
// after its start-up hold 5 picks among 0 .. 4, more than the 3 uniform picks would on average
// (8 x 3 x 5/40): one seed, so a weak check of its learning, not a proof.
// write: t.py = "import json, os\nd = json.loads(os.environ['NAS_DECISIONS'])\np = [int(e) for e in d['feats'].strip('{}').split(',')]\nassert len(p) == 3 == len(set(p)) and all(0 <= e < 40 for e in p), p\nprint(json.dumps({'accuracy': sum(e < 5 for e in p) / 3}))\n"
// write: evolution.nas = "use std.layers\ndataset blobs {\n    format  synthetic(n = 10, seed = 1)\n    input   [8]\n    classes 2\n}\nmodel m(x: tensor[8]) -> tensor[2] {\n    let f = choice feats 3 of [" + ", ".join(str(i) for i in range(40)) + "]\n    return x |> dense(2 + f[0] + f[1] + f[2]) |> dense(2)\n}\nreward { maximize accuracy }\ntrainer exec \"python3 t.py\"\ncontroller {\n    algorithm evolution(population = 4, sample = 2)\n    seed      3\n}\nsearch s {\n    data   blobs.train split 50% / 50%\n    trials 8\n}\n"
// write: local.nas = "use std.layers\ndataset blobs {\n    format  synthetic(n = 10, seed = 1)\n    input   [8]\n    classes 2\n}\nmodel m(x: tensor[8]) -> tensor[2] {\n    let f = choice feats 3 of [" + ", ".join(str(i) for i in range(40)) + "]\n    return x |> dense(2 + f[0] + f[1] + f[2]) |> dense(2)\n}\nreward { maximize accuracy }\ntrainer exec \"python3 t.py\"\ncontroller {\n    algorithm local\n    seed      3\n}\nsearch s {\n    data   blobs.train split 50% / 50%\n    trials 8\n}\n"
// write: bo.nas = "use std.layers\ndataset blobs {\n    format  synthetic(n = 10, seed = 1)\n    input   [8]\n    classes 2\n}\nmodel m(x: tensor[8]) -> tensor[2] {\n    let f = choice feats 3 of [" + ", ".join(str(i) for i in range(40)) + "]\n    return x |> dense(2 + f[0] + f[1] + f[2]) |> dense(2)\n}\nreward { maximize accuracy }\ntrainer exec \"python3 t.py\"\ncontroller {\n    algorithm bo(startup = 3)\n    seed      3\n}\nsearch s {\n    data   blobs.train split 50% / 50%\n    trials 8\n}\n"
// write: reinforce.nas = "use std.layers\ndataset blobs {\n    format  synthetic(n = 10, seed = 1)\n    input   [8]\n    classes 2\n}\nmodel m(x: tensor[8]) -> tensor[2] {\n    let f = choice feats 3 of [" + ", ".join(str(i) for i in range(40)) + "]\n    return x |> dense(2 + f[0] + f[1] + f[2]) |> dense(2)\n}\nreward { maximize accuracy }\ntrainer exec \"python3 t.py\"\ncontroller {\n    algorithm reinforce\n    seed      3\n}\nsearch s {\n    data   blobs.train split 50% / 50%\n    trials 8\n}\n"
use std.layers
dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}
model m(x: tensor[8]) -> tensor[2] {
    let f = choice feats 3 of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]
    return x |> dense(2 + f[0] + f[1] + f[2]) |> dense(2)
}
reward { maximize accuracy }
trainer exec "python3 t.py"
controller {
    algorithm tpe(startup = 4)
    seed      3
}
search s {
    data   blobs.train split 50% / 50%
    trials 8
}

// expect-stderr: controller tpe
// expect-store: SELECT count(*) FROM trial WHERE state = 1 => [[8]]
// run: {file} --trials 12
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-store: SELECT count(*), count(DISTINCT arch_id) > 8 FROM trial WHERE state = 1 => [[12, 1]]
// expect-store: SELECT sum(reward) * 3 > 8 * 3 * 5 / 40.0 FROM trial WHERE state = 1 AND seq >= 4 => [[1]]
// run: evolution.nas --store evolution.nasdb
// expect-stderr: controller evolution
// expect-stderr: 8 trials finished (0 failed)
// run: evolution.nas --store evolution.nasdb --trials 11
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-stderr: 11 trials finished (0 failed)
// run: local.nas --store local.nasdb
// expect-stderr: controller local
// expect-stderr: 8 trials finished (0 failed)
// run: local.nas --store local.nasdb --trials 11
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-stderr: 11 trials finished (0 failed)
// run: bo.nas --store bo.nasdb
// expect-stderr: controller bo
// expect-stderr: 8 trials finished (0 failed)
// run: bo.nas --store bo.nasdb --trials 11
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-stderr: 11 trials finished (0 failed)
// run: reinforce.nas --store reinforce.nasdb
// expect-stderr: controller reinforce
// expect-stderr: 8 trials finished (0 failed)
// run: reinforce.nas --store reinforce.nasdb --trials 11
// expect-stderr: resuming experiment 1
// expect-not: replayed proposals differ
// expect-stderr: 11 trials finished (0 failed)
