// A search's `prune`: an external trainer prints an epoch line, {"epoch": k, "accuracy": ...},
// per epoch before its report; its curves are known (accuracy final x k / 9, final 0.5, 0.6,
// 0.7, 0.8 by width). ASHA (rungs at epochs 1 and 3 of 9, reduction 3) stops trials at a rung:
// they are stored `pruned` with the metrics of the epoch they reached, their curve up to it and
// the planned epochs, count as finished trials, and the summary says the epochs saved. The
// widest architecture leads at every epoch, so it is never stopped. The median rule
// (startup 2, warmup 1) stops a trial whose best so far is below the median of the finished
// ones at the same epoch: never at epoch 1 (warmup), nor before two trials finished. A repeat
// of a pruned architecture is not trained again: it is answered `cached` from the pruned trial,
// with its low-fidelity reward (four architectures, so most of the 12 proposals are repeats).
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

// expect-stdout: stage 1 pruned 3 of 4 trials (asha): 12 of 36 epochs run, 24 saved (67%)
// expect-stdout: stage 2 pruned 1 of 4 trials (median): 14 of 16 epochs run, 2 saved (12%)
// expect-stderr: pruned at epoch 1 of 9 (asha)
// expect-stderr: [stage 1] 12 trials finished (0 failed); best reward 0.8000
// expect-store: SELECT count(*), sum(json_extract(metrics, '$.epoch') = 1), sum(json_array_length(curve) = json_extract(metrics, '$.epoch')), sum(json_extract(metrics, '$.epochs_planned') = 9), sum(json_extract(decisions, '$.w') = 16) FROM trial WHERE stage = 1 AND state = 5 => [[3, 3, 3, 3, 0]]
// expect-store: SELECT count(*), sum(json_array_length(curve) = 9) FROM trial WHERE stage = 1 AND state = 1 => [[1, 1]]
// expect-store: SELECT json_extract(decisions, '$.w'), json_extract(metrics, '$.epoch'), round(reward, 4), reason FROM trial WHERE stage = 1 AND seq = 11 => [[4, 1, 0.0667, "repeats a pruned architecture: its low-fidelity result"]]
// expect-store: SELECT count(DISTINCT arch_id), count(*) FROM trial WHERE stage = 1 AND state IN (1, 5) => [[4, 4]]
// expect-store: SELECT seq, json_extract(decisions, '$.w'), json_extract(metrics, '$.epoch') FROM trial WHERE stage = 2 AND state = 5 ORDER BY seq => [[4, 4, 2]]
// expect-store: SELECT count(*) FROM trial WHERE stage = 2 AND state = 1 => [[3]]
// run: {file} --status
// expect-stdout: stage 1: 1 done, 0 running, 0 failed, 0 infeasible, 8 cached, 3 pruned
