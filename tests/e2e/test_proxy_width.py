"""Proxy-task design over width multipliers and resolutions (their cross product) with an
external trainer: each trial gets its candidate's width in NAS_DATA's `width` (none at the full
width) beside its `input` (none at the full resolution); the table has a resolution and a width
column, a row per combination; stage 1 trains at the width and resolution of the candidate the
table marks chosen, stage 2 at the full ones. The trainer's accuracy is a known function of the
decisions plus a noise that grows as the width and resolution shrink, so which candidate is
kept is decided by the data, not by the test."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from nastest import *  # noqa: E402,F403

W = [2, 4, 6, 8, 10, 12, 14, 16]
TRAINER = r'''
import hashlib, json, os
d = json.loads(os.environ["NAS_DECISIONS"])
data = json.loads(os.environ["NAS_DATA"])
side = data["input"][1] if "input" in data else 8
width = data.get("width", 1)
q = 0.3 + 0.05 * %(W)r.index(d["w"])
h = int(hashlib.sha256((os.environ["NAS_ARCH_ID"] + os.environ["NAS_STAGE"]).encode()).hexdigest()[:8], 16)
noise = (h / 2**32 - 0.5) * 0.4 * (1 - width * side / 8)
print(json.dumps({"accuracy": q + noise, "seen_input": data.get("input"), "seen_width": data.get("width")}))
''' % {"W": W}

SPACE = image_design_space(W, '''\
    reference  6
    epochs     [1]
    resolution [4, 8]
    width      [0.5, 1]
    keep when  correlation >= 0.6''')
# stages -2 .. -5 in the declaration's order: resolution-major, then width
CANDIDATES = [(4, 0.5), (4, 1), (8, 0.5), (8, 1)]


def seen(store, stage):
    return [(m["seen_input"], m["seen_width"])
            for m in (json.loads(x[0]) for x in rows(store, "SELECT metrics FROM trial WHERE stage = ?", (stage,)))]


nas, store, tlog, env_extra, design_done = trainer_case(TRAINER, SPACE)
r = run([nas, "--stage", "design"], env_extra, check_rc=0)
no_crash(r, "the design")

# Each candidate's trials were told their input and width; the references the full ones.
for v, (side, width) in enumerate(CANDIDATES):
    got = seen(store, -2 - v)
    want = (None if side == 8 else [1, side, side], None if width == 1 else width)
    check(len(got) == 6 and all(g == want for g in got), f"candidate {side}, {width}: NAS_DATA {want}, got {got}")
check(seen(store, -1) == [(None, None)] * 6, f"the references train at full size: {seen(store, -1)}")

# The table's resolution and width columns, a row per combination, and its choice.
print(r.stdout, flush=True)
table = {}
for line in r.stdout.splitlines():
    m = re.match(r"\s+1\s+100%\s+(\d+)x(\d+)\s+([\d.]+)\s+(-?[\d.]+|nan)\s+\S+\s+\d+\s+\S+\s+\d+%\s+(yes|no)(.*)", line)
    if m:
        table[(int(m.group(1)), float(m.group(3)))] = "chosen" in m.group(6)
check(sorted(table) == sorted(CANDIDATES), f"a row per resolution and width: {r.stdout}")
chosen = [k for k, v in table.items() if v]
check(len(chosen) == 1, f"one candidate chosen: {chosen}")

# Stage 1 trains at the chosen width and resolution, and says so; stage 2 at the full ones.
r2 = run([nas], env_extra, check_rc=0)
if chosen:
    side, width = chosen[0]
    want = (None if side == 8 else [1, side, side], None if width == 1 else width)
    stage1 = seen(store, 1)
    check(len(stage1) == 3 and all(g == want for g in stage1), f"stage 1 trains at {chosen}: {stage1}")
    if width != 1:
        check(f"width {width:g}" in r2.stderr, f"the stage-1 header names the width: {r2.stderr[-800:]}")
check(seen(store, 2) == [(None, None)], f"stage 2 trains at full size: {seen(store, 2)}")
finish("proxy_width")
