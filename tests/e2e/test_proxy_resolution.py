"""Proxy-task design over image resolution with an external trainer: each trial gets the input
its candidate builds the model for in NAS_DATA's `input` (none at the full resolution); a design
killed with SIGKILL resumes without rerunning a finished trial; the table has a resolution
column; and stage 1 trains at the resolution of the candidate the table marks chosen. The
trainer's accuracy is a known function of the decisions plus a noise that grows as the
resolution shrinks, so which candidate is kept is decided by the data, not by the test."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from nastest import *  # noqa: E402,F403

W = [2, 4, 6, 8, 10, 12, 14, 16]
TRAINER = r'''
import hashlib, json, os, time
d = json.loads(os.environ["NAS_DECISIONS"])
data = json.loads(os.environ["NAS_DATA"])
side = data["input"][1] if "input" in data else 8
q = 0.3 + 0.05 * %(W)r.index(d["w"])
h = int(hashlib.sha256((os.environ["NAS_ARCH_ID"] + os.environ["NAS_STAGE"]).encode()).hexdigest()[:8], 16)
noise = (h / 2**32 - 0.5) * 0.4 * (8 - side) / 8
with open(os.environ["TRIAL_LOG"], "a") as f:
    f.write("%%s %%s\n" %% (os.environ["NAS_STAGE"], os.environ["NAS_TRIAL_SEQ"]))
time.sleep(float(os.environ.get("SLEEP", "0.1")) * side / 8)
print(json.dumps({"accuracy": q + noise, "seen_input": data.get("input")}))
''' % {"W": W}

SPACE = image_design_space(W, '''\
    reference  6
    epochs     [1]
    resolution [2, 4, 8]
    keep when  correlation >= 0.6''')
SIDES = [2, 4, 8]  # stages -2 .. -4, the declaration's order


def log_lines(path):
    return [tuple(map(int, l.split())) for l in open(path)] if os.path.exists(path) else []


nas, store, tlog, env_extra, design_done = trainer_case(TRAINER, SPACE)

# A design killed after a few trials finished ...
p = start([nas, "--stage", "design"], dict(env_extra, SLEEP="0.4"))



check(wait_for(lambda: os.path.exists(store) and design_done() >= 8, 120), "the design finished 8 trials")
kill_group(p)
before = {(r[0], r[1]): r[2] for r in rows(store, "SELECT stage, seq, finished FROM trial WHERE state = 1")}

# ... resumes: every finished trial kept, not rerun.
r = run([nas, "--stage", "design"], env_extra, check_rc=0)
no_crash(r, "design after the kill")
after = {(x[0], x[1]): (x[2], x[3]) for x in rows(store, "SELECT stage, seq, finished, state FROM trial WHERE stage < 0")}
check(len(after) == 6 * 4 and all(v[1] == DONE for v in after.values()), f"24 design trials, all done: {after}")
check(all(after[k][0] == t for k, t in before.items()), "the trials finished before the kill are kept")
runs = log_lines(tlog)
check(all(runs.count(k) == 1 for k in before), "no finished trial was trained again")
check(len(before) < 24, "the kill happened mid-design")

# Each candidate's trials were told their input; the references and the full resolution none.
for v, side in enumerate(SIDES):
    got = [json.loads(x[0])["seen_input"] for x in rows(store, "SELECT metrics FROM trial WHERE stage = ?", (-2 - v,))]
    want = None if side == 8 else [1, side, side]
    check(len(got) == 6 and all(g == want for g in got), f"resolution {side}: NAS_DATA input {want}, got {got}")
ref = [json.loads(x[0])["seen_input"] for x in rows(store, "SELECT metrics FROM trial WHERE stage = -1")]
check(ref == [None] * 6, f"the references train at the full resolution: {ref}")

# The table's resolution column and its choice.
print(r.stdout, flush=True)
table = {}
for line in r.stdout.splitlines():
    m = re.match(r"\s+1\s+100%\s+(\d+)x(\d+)\s+(-?[\d.]+|nan)\s+\S+\s+\d+\s+\S+\s+\d+%\s+(yes|no)(.*)", line)
    if m:
        table[int(m.group(1))] = (m.group(4), "chosen" in m.group(5))
check(sorted(table) == SIDES, f"a row per resolution: {r.stdout}")
chosen = [s for s, v in table.items() if v[1]]
check(len(chosen) == 1, f"one candidate chosen: {chosen}")

# Stage 1 trains at the chosen resolution (the full one: no input), and says so.
r2 = run([nas], env_extra, check_rc=0)
stage1 = [json.loads(x[0])["seen_input"] for x in rows(store, "SELECT metrics FROM trial WHERE stage = 1")]
want = None if chosen == [8] else [1, chosen[0], chosen[0]] if chosen else "?"
check(len(stage1) == 3 and all(g == want for g in stage1), f"stage 1 trains at {chosen}: {stage1}")
if chosen and chosen[0] != 8:
    check(f"images at {chosen[0]}x{chosen[0]}" in r2.stderr, f"the stage-1 header names it: {r2.stderr[-800:]}")
stage2 = [json.loads(x[0])["seen_input"] for x in rows(store, "SELECT metrics FROM trial WHERE stage = 2")]
check(stage2 == [None], f"stage 2 trains at the full resolution: {stage2}")
finish("proxy_resolution")
