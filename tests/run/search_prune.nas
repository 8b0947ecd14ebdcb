// A search's `prune`: an external trainer prints an epoch line, {"epoch": k, "accuracy": ...},
// per epoch before its report; its curves are known (accuracy final x k / 9, final 0.5, 0.6,
// 0.7, 0.8 by width). ASHA (rungs at epochs 1 and 3 of 9, reduction 3) stops trials at a rung:
// they are stored `pruned` with the metrics of the epoch they reached, their curve up to it and
// the planned epochs, count as finished trials, and the summary says the epochs saved. The
// widest architecture leads at every epoch, so it is never stopped. The median rule
// (startup 2, warmup 1) stops a trial whose best so far is below the median of the finished
// ones at the same epoch: never at epoch 1 (warmup), nor before two trials finished.
// covers: search.prune
// write: t.py = "import json, os, time\nw = json.loads(os.environ['NAS_DECISIONS'])['w']\nfinal = {2: 0.5, 4: 0.6, 8: 0.7, 16: 0.8}[w]\nE = int(os.environ['NAS_EPOCHS'])\nfor e in range(1, E + 1):\n    print(json.dumps({'epoch': e, 'accuracy': final * e / E}), flush=True)\n    time.sleep(0.02)\nprint(json.dumps({'accuracy': final}))\n"
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

search halving {
    data   blobs.train split 50% / 50%
    trials 12
    epochs 9
    prune  asha(min = 1, reduction = 3)
}

search median {
    data   blobs.train split 50% / 50%
    trials 8
    epochs 4
    prune  median(startup = 2, warmup = 1)
}

// expect-stdout: stage 1 pruned 8 of 9 trials (asha): 19 of 81 epochs run, 62 saved (77%)
// expect-stdout: stage 2 pruned 2 of 5 trials (median): 16 of 20 epochs run, 4 saved (20%)
// expect-stderr: pruned at epoch 3 of 9 (asha)
// expect-stderr: [stage 1] 12 trials finished (0 failed); best reward 0.8000
// expect-store: SELECT count(*), sum(json_extract(metrics, '$.epoch') IN (1, 3)), sum(json_array_length(curve) = json_extract(metrics, '$.epoch')), sum(json_extract(metrics, '$.epochs_planned') = 9), sum(json_extract(decisions, '$.w') = 16) FROM trial WHERE stage = 1 AND state = 5 => [[8, 8, 8, 8, 0]]
// expect-store: SELECT count(*), sum(json_array_length(curve) = 9) FROM trial WHERE stage = 1 AND state = 1 => [[1, 1]]
// expect-store: SELECT json_extract(decisions, '$.w'), json_extract(metrics, '$.epoch'), round(reward, 4) FROM trial WHERE stage = 1 AND seq = 11 => [[4, 3, 0.2]]
// expect-store: SELECT seq, json_extract(decisions, '$.w'), json_extract(metrics, '$.epoch') FROM trial WHERE stage = 2 AND state = 5 ORDER BY seq => [[4, 4, 2], [6, 4, 2]]
// expect-store: SELECT count(*) FROM trial WHERE stage = 2 AND state = 1 => [[3]]
// run: {file} --status
// expect-stdout: stage 1: 1 done, 0 running, 0 failed, 0 infeasible, 3 cached, 8 pruned
