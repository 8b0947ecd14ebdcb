"""Proxy-task design end to end, on a synthetic space whose true ranking is known: an external
trainer whose accuracy is a known function of the decisions (a, b), plus a noise that shrinks
as the proxy's budget (epochs x data fraction) grows and vanishes under full training. Checks
that nasrun passes each candidate's epochs and data share to the trainer, picks references that
span the space's params/MACs range, computes Kendall's tau and Spearman's rho as an independent
computation does, chooses the cheapest candidate meeting `keep when`, resumes a design killed
with SIGKILL without rerunning a finished trial, and that stage 1 then trains under the chosen
proxy without designing again."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from nastest import *  # noqa: E402,F403

A = [4, 8, 12, 16, 20, 24, 28, 32]
B = [2, 4, 6, 8]
TRAINER = r'''
import hashlib, json, os, time
d = json.loads(os.environ["NAS_DECISIONS"])
epochs = json.loads(os.environ["NAS_TRAINING"])["epochs"]
subset = json.loads(os.environ["NAS_DATA"]).get("subset", 1.0)
q = 0.3 + 0.05 * %(A)r.index(d["a"]) + 0.012 * %(B)r.index(d["b"])
budget = epochs * subset
h = int(hashlib.sha256((os.environ["NAS_ARCH_ID"] + os.environ["NAS_STAGE"]).encode()).hexdigest()[:8], 16)
noise = (h / 2**32 - 0.5) * 0.15 / budget if budget < 8 else 0.0
with open(os.environ["TRIAL_LOG"], "a") as f:
    f.write("%%s %%s\n" %% (os.environ["NAS_STAGE"], os.environ["NAS_TRIAL_SEQ"]))
time.sleep(float(os.environ.get("SLEEP", "0.1")) * budget)
print(json.dumps({"accuracy": q + noise, "seen_epochs": epochs, "seen_subset": subset}))
''' % {"A": A, "B": B}

SPACE = '''use std.layers
dataset blobs {
    format  synthetic(n = 200, seed = 1)
    input   [8]
    classes 2
}
model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice a %(A)r) |> relu |> dense(choice b %(B)r) |> relu |> dense(2)
}
reward { maximize accuracy }
trainer exec "python3 trainer.py"
search s1 {
    data     blobs.train split 80%% / 20%%
    epochs   1
    trials   4
    parallel 2
}
train full {
    from   s1 top 1
    data   blobs.train / blobs.test
    epochs 8
}
proxy design {
    reference 6
    epochs    [1, 4]
    data      [25%%, 100%%]
    keep when correlation >= 0.6
}
''' % {"A": A, "B": B}
VARIANTS = [(1, 0.25), (1, 1.0), (4, 0.25), (4, 1.0)]  # stages -2 .. -5, the declaration's order


def kendall(x, y):
    c = d = tx = ty = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            a, b = x[i] - x[j], y[i] - y[j]
            if a == 0 and b == 0:
                continue
            if a == 0:
                tx += 1
            elif b == 0:
                ty += 1
            elif (a > 0) == (b > 0):
                c += 1
            else:
                d += 1
    return (c - d) / ((c + d + tx) * (c + d + ty)) ** 0.5


def spearman(x, y):
    def rank(v):
        return [sum(w < u for w in v) + (sum(w == u for w in v) + 1) / 2 for u in v]
    rx, ry = rank(x), rank(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    return sxy / (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5


def log_lines(path):
    return [tuple(map(int, l.split())) for l in open(path)] if os.path.exists(path) else []


nas, store, tlog, env_extra, design_done = trainer_case(TRAINER, SPACE)

# A design killed (SIGKILL, the whole process group) after a few trials finished ...
p = start([nas, "--stage", "design"], dict(env_extra, SLEEP="0.3"))



check(wait_for(lambda: os.path.exists(store) and design_done() >= 5, 120),
      "the design finished 5 trials before the kill")
kill_group(p)
before = {(r[0], r[1]): r[2] for r in rows(store, "SELECT stage, seq, finished FROM trial WHERE state = 1")}
ran_before = log_lines(tlog)

# ... resumes: every finished trial kept, not rerun; the rest run once more at most.
r = run([nas, "--stage", "design"], env_extra, check_rc=0)
no_crash(r, "design after the kill")
after = {(x[0], x[1]): (x[2], x[3], x[4]) for x in
         rows(store, "SELECT stage, seq, finished, state, attempts FROM trial WHERE stage < 0")}
check(len(after) == 6 * 5 and all(v[1] == DONE for v in after.values()),
      f"30 design trials, all done: {sorted(after.items())}")
check(all(after[k][0] == t and after[k][2] == 1 for k, t in before.items()),
      "the trials finished before the kill are kept as they were (first attempt)")
runs = log_lines(tlog)
check(all(runs.count(k) == 1 for k in before), "no finished trial was trained again")
check(len(runs) <= 30 + 2, f"at most the 2 trials running at the kill trained twice: {len(runs)} runs")
check(len(ran_before) >= 5, "the kill happened mid-design")

# The references: full settings reached the trainer, they span the space, and rank as q does.
ref = rows(store, "SELECT seq, decisions, metrics FROM trial WHERE stage = -1 ORDER BY seq")
refs = [json.loads(x[1]) for x in ref]
full = [json.loads(x[2])["accuracy"] for x in ref]
check(all(json.loads(x[2])["seen_epochs"] == 8 and json.loads(x[2])["seen_subset"] == 1 for x in ref),
      "the references trained with the train's 8 epochs on all of its data")
check({"a": 4, "b": 2} in refs and {"a": 32, "b": 8} in refs,
      f"the references span the params/MACs range (smallest and largest architecture): {refs}")
check(len({json.dumps(x, sort_keys=True) for x in refs}) == 6, "six distinct references")
true_q = [0.3 + 0.05 * A.index(x["a"]) + 0.012 * B.index(x["b"]) for x in refs]
check(all(abs(f - q) < 1e-9 for f, q in zip(full, true_q)), "full training gives the known accuracy")

# The table: each candidate's correlations as computed here, and the choice.
print(r.stdout, flush=True)
table = {}
for line in r.stdout.splitlines():
    m = re.match(r"\s+(\d+)\s+([\d.]+)%\s+(-?[\d.]+|nan)\s+(-?[\d.]+|nan)\s+(\d+)\s+([\d.]+)\s+\d+%\s+(yes|no)(.*)", line)
    if m:
        table[(int(m.group(1)), float(m.group(2)) / 100)] = (float(m.group(3)), float(m.group(4)), m.group(7),
                                                             "chosen" in m.group(8))
check(len(table) == 4, f"a table row per candidate: {r.stdout}")
secs = {}
for v, (e, frac) in enumerate(VARIANTS):
    rs = rows(store, "SELECT seq, metrics, finished - started FROM trial WHERE stage = ? ORDER BY seq", (-2 - v,))
    got = [json.loads(x[1]) for x in rs]
    check(all(g["seen_epochs"] == e and abs(g["seen_subset"] - frac) < 1e-9 for g in got),
          f"candidate {e} epochs on {frac:.0%}: the trainer got them ({got[:1]})")
    prox = [g["accuracy"] for g in got]
    tau, rho = kendall(full, prox), spearman(full, prox)
    secs[(e, frac)] = sum(x[2] for x in rs) / len(rs)
    row = table.get((e, frac))
    if check(row is not None, f"a row for {e} epochs on {frac:.0%}"):
        check(abs(row[0] - tau) < 6e-4 and abs(row[1] - rho) < 6e-4,
              f"{e} epochs on {frac:.0%}: kendall {row[0]} spearman {row[1]}, expected {tau:.3f} {rho:.3f}")
        check((row[2] == "yes") == (tau >= 0.6), f"{e} epochs on {frac:.0%}: keep {row[2]} with tau {tau:.3f}")
kept = [k for k, v in table.items() if v[2] == "yes"]
chosen = [k for k, v in table.items() if v[3]]
check(len(chosen) == 1, f"one candidate chosen: {chosen}")
if kept:
    check(chosen and chosen[0] == min(kept, key=lambda k: (secs[k], k[0] * k[1])),
          f"the cheapest of the kept {kept} is chosen ({chosen}, seconds {secs})")
else:
    check("no candidate proxy meets" in r.stderr, "no candidate kept: a warning")

# The search then runs under the chosen proxy, and does not design again.
n_runs = len(log_lines(tlog))
r2 = run([nas], env_extra, check_rc=0)
check("under the proxy chosen by the design" in r2.stderr, f"the stage-1 header names the proxy: {r2.stderr[-800:]}")
check("[design]" not in r2.stderr, "the finished design is not run again")
stage1 = [json.loads(x[0]) for x in rows(store, "SELECT metrics FROM trial WHERE stage = 1")]
check(len(stage1) == 4 and chosen and all(
    g["seen_epochs"] == chosen[0][0] and abs(g["seen_subset"] - chosen[0][1]) < 1e-9 for g in stage1),
    f"stage 1 trains with the chosen proxy {chosen}: {stage1}")
check(all(s >= 1 for s, _ in log_lines(tlog)[n_runs:]), "only stages 1 and 2 trained in the second run")
finish("proxy_design")
