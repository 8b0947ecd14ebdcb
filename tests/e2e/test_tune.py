"""A tune stage end to end, with an external trainer whose accuracy is a known function of the
architecture and of the learning rate (best at lr = 0.05): the tune searches only its own
settings (stage 1's decisions hold no lr), for each of the best 2 architectures (16 trials each) of the search,
quasi-randomly (Sobol) by default; the trainer gets each trial's lr in NAS_TRAINING and the
fixed architecture's decisions in NAS_DECISIONS; a killed tune resumes without rerunning a
finished trial; and the report's sanity checks say "expand the range" when the optimum lies
beyond the range, and name the regions a 3-trial tune never sampled (16 Sobol points leave none)."""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from nastest import *  # noqa: E402,F403

TRAINER = r'''
import json, math, os, time
d = json.loads(os.environ["NAS_DECISIONS"])
lr = json.loads(os.environ["NAS_TRAINING"])["optimizer"]["lr"]
q = 0.5 + 0.05 * [4, 8, 12, 16].index(d["a"])
acc = q - 0.05 * (math.log10(lr) - math.log10(0.05)) ** 2
with open(os.environ["TRIAL_LOG"], "a") as f:
    f.write("%s %s %s %r\n" % (os.environ["NAS_STAGE"], os.environ["NAS_TRIAL_SEQ"], os.environ["NAS_ARCH_ID"], lr))
time.sleep(float(os.environ.get("SLEEP", "0")))
print(json.dumps({"accuracy": acc}))
'''

SPACE = '''use std.layers
dataset blobs {
    format  synthetic(n = 200, seed = 1)
    input   [8]
    classes 2
}
model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice a [4, 8, 12, 16]) |> relu |> dense(2)
}
reward { maximize accuracy }
trainer exec "python3 trainer.py"
search s {
    data     blobs.train split 80% / 20%
    trials   4
    parallel 2
}
tune wide {
    from      s top 2
    data      blobs.train split 80% / 20%
    optimizer sgd(lr = choice lr 1e-3 .. 1.0 log, momentum = 0.9)
    trials    16
    parallel  2
}
tune narrow {
    from      s top 1
    data      blobs.train split 80% / 20%
    optimizer sgd(lr = choice lr 1e-4 .. 1e-2 log)
    trials    16
    parallel  2
}
tune sparse {
    from      s top 1
    data      blobs.train split 80% / 20%
    optimizer sgd(lr = choice lr 1e-3 .. 1.0 log)
    trials    3
}
'''


def log_lines(path):
    return [l.split() for l in open(path)] if os.path.exists(path) else []


nas, store, tlog, env_extra, tune_done = trainer_case(TRAINER, SPACE, "stage = 2")

r0 = subprocess.run([NASRUN.replace("nasrun", "nasc"), nas], capture_output=True, text=True, env=env())
check("NAS0701" not in r0.stdout + r0.stderr, f"a tune's decisions are not NAS0701 warnings: {r0.stderr}")

# The search, then the tune killed mid-way ...
run([nas, "--stage", "1"], env_extra, check_rc=0)


p = start([nas, "--stage", "2"], dict(env_extra, SLEEP="0.4"))
check(wait_for(lambda: tune_done() >= 3, 120), "3 tune trials finished before the kill")
kill_group(p)
before = {r[0]: r[1] for r in rows(store, "SELECT seq, finished FROM trial WHERE stage = 2 AND state = 1")}

# ... resumes, then the narrow tune runs.
r = run([nas], env_extra, check_rc=0)
no_crash(r, "the resumed run")
tune = rows(store, "SELECT seq, arch_id, decisions, metrics, finished, attempts, state FROM trial WHERE stage = 2")
check(len(tune) == 32 and all(t[6] == DONE for t in tune), f"16 trials for each of 2 architectures: {len(tune)}")
check(all(t[4] == before[t[0]] for t in tune if t[0] in before), "finished trials kept as they were")
runs = [l for l in log_lines(tlog) if l[0] == "2"]
check(all(sum(1 for l in runs if int(l[1]) == s) == 1 for s in before), "no finished tune trial trained again")

# The architectures are stage 1's best two, fixed; the lr comes from the tune's own space.
s1 = rows(store, "SELECT arch_id, decisions, reward FROM trial WHERE stage = 1 AND state = 1 ORDER BY reward DESC")
check(all("lr" not in json.loads(x[1]) for x in s1), "the architecture search holds no lr decision")
best2 = []
for x in s1:
    if x[0] not in best2:
        best2.append(x[0])
best2 = best2[:2]
archs = sorted({t[1].split(":")[0] for t in tune})
check(archs == sorted(best2), f"the tune tunes stage 1's best two {best2}: {archs}")
for t in tune:
    dec, met = json.loads(t[2]), json.loads(t[3])
    arch_dec = json.loads(dict((x[0], x[1]) for x in s1)[t[1].split(":")[0]])
    want = 0.5 + 0.05 * [4, 8, 12, 16].index(arch_dec["a"]) - 0.05 * (math.log10(dec["lr"]) - math.log10(0.05)) ** 2
    check(dec["a"] == arch_dec["a"] and 1e-3 <= dec["lr"] <= 1.0, f"trial {t[0]}: decisions {dec}")
    check(abs(met["accuracy"] - want) < 1e-6, f"trial {t[0]}: the trainer trained with lr {dec['lr']}")
check(all(abs(float(l[3]) - json.loads(t[2])["lr"]) < 1e-9 * max(1, float(l[3]))
          for l in runs for t in tune if int(l[1]) == t[0]), "NAS_TRAINING carried each trial's lr")
# Sobol: 16 points per architecture, stratified over the log range.
for arch in archs:
    lrs = sorted(json.loads(t[2])["lr"] for t in tune if t[1].startswith(arch + ":"))
    cells = {min(15, int((math.log10(v) + 3) / 3 * 16)) for v in lrs}
    check(len(cells) == 16, f"{arch}: 16 Sobol points fill the 16 sixteenths of the log range: {lrs}")

# The report: the wide range holds the optimum; the narrow one ends below it.
out = r.stdout
check("controller sobol" in r.stderr, "quasi-random by default")
wide = out[out.find("tune wide"):out.find("tune narrow")]
narrow = out[out.find("tune narrow"):out.find("tune sparse")]
sparse = out[out.find("tune sparse"):]
check("sanity checks" in wide and "expand the range" not in wide, f"wide: no range to expand:\n{wide}")
check("lr: the best value" in narrow and "high end" in narrow and "expand the range" in narrow,
      f"narrow: the best lr is at the high end: expand the range:\n{narrow}")
check("no trial sampled" in sparse, f"sparse: 3 trials leave regions unsampled:\n{sparse}")
check("no trial sampled" not in wide, f"wide: 16 Sobol points leave no tenth unsampled:\n{wide}")
finish("tune")
