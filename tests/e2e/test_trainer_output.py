"""test_trainer_output.py — what a trainer prints is parsed with a JSON library, never trusted.

One search of one trial per case, all at once; each row's state and reason are checked:
- {"accuracy": 0.9, "per_class": [0.8, 1.0]}: done, reward 0.9, per_class kept in the stored
  metrics (non-numeric members are kept, not metrics).
- Infinity, 1e999, -inf and NaN for accuracy: failed, "metric accuracy is not finite".
- trailing garbage after the object, a hex float: failed, "bad metrics line".
- $NAS_METRICS_FILE over 64 KiB: "is larger than 64 KiB"; invalid JSON in it: "metrics file".
- a signal through `sh -c` (exit 139): "killed by signal 11"; SIGKILL (137): "possibly out
  of memory".
- 300 MB of output before the metrics: done, and nasrun's resident memory stays under 100 MB
  (the output is kept to its last 64 KiB)."""
import json, os, time
import nastest as T

CASES = {   # mode: (state, what the reason must contain)
    "per_class": (T.DONE, None),
    "infinity": (T.FAILED, "metric accuracy is not finite"),
    "overflow": (T.FAILED, "metric accuracy is not finite"),
    "minus_inf": (T.FAILED, "metric accuracy is not finite"),
    "nan": (T.FAILED, "metric accuracy is not finite"),
    "trailing": (T.FAILED, "bad metrics line: invalid JSON"),
    "hex": (T.FAILED, "bad metrics line: invalid JSON"),
    "big_file": (T.FAILED, "is larger than 64 KiB"),
    "bad_file": (T.FAILED, "metrics.json: invalid JSON"),
    "segv_sh": (T.FAILED, "killed by signal 11"),
    "kill_sh": (T.FAILED, "killed by signal 9 (Killed), possibly out of memory"),
    "flood": (T.DONE, None),
}

TRAINER = r'''
case $MODE in
    per_class) echo '{"accuracy": 0.9, "per_class": [0.8, 1.0], "note": "x"}' ;;
    infinity) echo '{"accuracy": Infinity}' ;;
    overflow) echo '{"accuracy": 1e999}' ;;
    minus_inf) echo '{"loss": 0.1, "accuracy": -inf}' ;;
    nan) echo '{"accuracy": NaN}' ;;
    trailing) echo '{"accuracy": 0.9} and more' ;;
    hex) echo '{"accuracy": 0x1p-1}' ;;
    big_file) head -c 70000 /dev/zero | tr '\0' ' ' > "$NAS_METRICS_FILE"; echo '{"accuracy": 0.5}' >> "$NAS_METRICS_FILE" ;;
    bad_file) echo '{"accuracy": 0.5,' > "$NAS_METRICS_FILE" ;;
    segv_sh) sh -c 'kill -SEGV $$'; exit $? ;;
    kill_sh) sh -c 'kill -KILL $$'; exit $? ;;
    flood) yes 'epoch 1: loss 0.3 ....................................................' | head -c 300000000; echo; echo '{"accuracy": 0.75}' ;;
esac
'''

runs = {}
for mode in CASES:
    d = T.workdir()
    f = T.space_file(d, trials=1, max_failed=1)
    with open(os.path.join(d, "trainer.sh"), "w") as t:
        t.write(TRAINER)
    runs[mode] = (f, T.start([f], {"MODE": mode}))


def rss_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


peak = 0
flood = runs["flood"][1]
while flood.poll() is None:
    peak = max(peak, rss_kb(flood.pid))
    time.sleep(0.05)

for mode, (f, p) in runs.items():
    rc = p.wait(timeout=200)
    T.check(rc == 0, f"{mode}: exit {rc}: {T.output(p)[-1500:]}")
    rows = T.rows(f[:-4] + ".nasdb", "SELECT state, reward, reason, metrics FROM trial WHERE stage = 1")
    if not T.check(len(rows) == 1, f"{mode}: rows {rows}"):
        continue
    state, reward, reason, metrics = rows[0]
    want_state, want_reason = CASES[mode]
    T.check(state == want_state, f"{mode}: state {T.STATES[state]} ({reason}), expected {T.STATES[want_state]}")
    if want_reason:
        T.check(reason and want_reason in reason, f"{mode}: reason {reason!r} lacks {want_reason!r}")
    if mode == "per_class":
        T.check(reward == 0.9, f"per_class: reward {reward}")
        T.check(json.loads(metrics).get("per_class") == [0.8, 1.0], f"per_class: metrics {metrics}")
    if mode == "flood":
        T.check(reward == 0.75, f"flood: reward {reward}")

print(f"flood: nasrun peak RSS {peak / 1024:.1f} MB")
# nasrun alone holds ~60 MB (~95 MB under ASan); a buffered flood would add its 300 MB
T.check(0 < peak < 150 * 1024, f"flood: nasrun's resident memory reached {peak / 1024:.0f} MB")
T.finish("trainer_output")
