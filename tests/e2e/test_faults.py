"""test_faults.py — trials that go wrong are recorded as failed with a reason that names the
problem, and nothing else is lost.

- External trainers that segfault, hang past `timeout 2s` (with a child process that keeps
  its stdout open), print garbage, or exit non-zero, on trials 1 and 4 of 6: exit 0, those
  two rows failed with the reason checked word for word, the other four done with the known
  reward, the hung trial ends within seconds of its timeout, --status lists the reasons (segv).
- More failures than max_failed (trials 1, 3, 5 fail; max_failed 2): exit 3, a message
  naming max_failed, the search stops at the third failure, every trial started before is
  in the store finished (none running), the good ones with their reward. Rerun: cancelled
  again at once (exit 3, no trial run); with --max-failed 10 it goes on to all 10 trials.
- A built-in trial with sgd(lr = 1e30) on tiny synthetic data: failed, reason "diverged".
- The trainer writing $NAS_METRICS_FILE instead of printing: done, with its metrics.
- A trainer that exits normally but leaves a child holding its stdout (30 s): the trial is
  done as soon as the trainer exits, not when the child does."""
import json
import nastest as T

CASES = {   # mode: (what the reason must contain, ...)
    "segv": ("crashed: killed by signal 11", "Segmentation fault"),
    "hang": ("timed out after 2 s",),
    "garbage": ("trainer printed no metrics", "loss: 0.3 (not json)"),
    "exit": ("trainer exited with status 3",),
}

runs = {}
for mode in CASES:
    d = T.workdir()
    f = T.space_file(d, trials=6, max_failed=3, trainer_timeout=2, seed=2)
    runs[mode] = (d, f, T.start([f], {"MODE": mode, "BAD_EVERY": "3"}))
d = T.workdir()
f = T.space_file(d, trials=10, max_failed=2, seed=2)
runs["cancel"] = (d, f, T.start([f], {"MODE": "exit", "BAD_EVERY": "2"}))
d = T.workdir()
f = T.space_file(d, trials=3, seed=2)
runs["background"] = (d, f, T.start([f], {"MODE": "background", "BAD_EVERY": "3"}))
d = T.workdir()
f = T.space_file(d, trials=3, seed=2)
runs["metrics_file"] = (d, f, T.start([f], {"METRICS_FILE_MODE": "1"}))
d = T.workdir()
f = T.builtin_file(d, optimizer="sgd(lr = 1e30)", trials=2, max_failed=2)
runs["diverged"] = (d, f, T.start([f]))


def check_done(name, rows):
    for seq, arch, state, reward, dec, reason, metrics, started, fin in rows:
        if state == T.DONE:
            want = T.known_reward(json.loads(dec))
            T.check(reward == want, f"{name}: trial {seq} reward {reward}, the trainer gives {want}")
            T.check(json.loads(metrics).get("params") == 1000 + seq, f"{name}: trial {seq} metrics {metrics}")


SQL = ("SELECT seq, arch_id, state, reward, decisions, reason, metrics, started, finished "
       "FROM trial WHERE stage = 1 ORDER BY seq")
for name, (d, f, p) in runs.items():
    rc = p.wait(timeout=240)
    out = T.output(p)
    store = f[:-4] + ".nasdb"
    rows = T.rows(store, SQL)
    states = [T.STATES[r[2]] for r in rows]
    if name in CASES:
        T.check(rc == 0, f"{name}: exit {rc}: {out[-1500:]}")
        T.check([r[0] for r in rows] == list(range(6)), f"{name}: seqs {[r[0] for r in rows]}")
        T.check(states == ["done", "failed", "done", "done", "failed", "done"], f"{name}: states {states}")
        for r in rows:
            if r[2] == T.FAILED:
                for words in CASES[name]:
                    T.check(r[5] and words in r[5], f"{name}: trial {r[0]} reason {r[5]!r} lacks {words!r}")
                if name == "hang":
                    T.check(r[8] - r[7] < 10, f"hang: trial {r[0]} took {r[8] - r[7]:.1f} s with a 2 s timeout")
            else:
                T.check(r[5] is None, f"{name}: done trial {r[0]} has a reason {r[5]!r}")
        check_done(name, rows)
        if name != "segv":
            continue                      # one --status is enough: the same code lists every reason
        st = T.run([f, "--status"], check_rc=0)
        T.check("stage 1: 4 done, 0 running, 2 failed" in st.stdout, f"{name}: --status: {st.stdout[:400]}")
        T.check(f"failed: stage 1 trial 4 {rows[4][1]}: {rows[4][5]}" in st.stdout,
                f"{name}: --status does not list trial 4's reason: {st.stdout[:800]}")
    elif name == "cancel":
        T.check(rc == 3, f"cancel: exit {rc}, expected 3: {out[-1500:]}")
        T.check("3 trials failed, more than max_failed = 2: the search is cancelled" in out,
                f"cancel: message: {out[-1500:]}")
        T.check([r[0] for r in rows] == list(range(6)), f"cancel: seqs {[r[0] for r in rows]} (stop at the 3rd failure)")
        T.check(states == ["done", "failed"] * 3, f"cancel: states {states}")
        check_done(name, rows)
        again = T.run([f], {"MODE": "exit", "BAD_EVERY": "2"}, check_rc=3)
        T.check("more than max_failed = 2" in again.stderr, f"cancel: rerun message: {again.stderr[-800:]}")
        T.check(T.rows(store, SQL) == rows, "cancel: a rerun of the cancelled search ran trials")
        more = T.run([f, "--max-failed", "10"], {"MODE": "exit", "BAD_EVERY": "2"}, check_rc=0)
        after = T.rows(store, SQL)
        T.check(after[:6] == rows and [r[0] for r in after] == list(range(10)),
                f"cancel: --max-failed 10 did not go on from seq 6: {[r[:3] for r in after]}")
    elif name == "background":
        T.check(rc == 0, f"background: exit {rc}: {out[-1500:]}")
        T.check(states == ["done"] * 3, f"background: states {states}")
        T.check(all(r[8] - r[7] < 10 for r in rows),
                f"background: trial times {[round(r[8] - r[7], 1) for r in rows]}: waited for the trainer's child")
        check_done(name, rows)
    elif name == "metrics_file":
        T.check(rc == 0, f"metrics_file: exit {rc}: {out[-1500:]}")
        T.check(states == ["done"] * 3, f"metrics_file: states {states}")
        check_done(name, rows)
    else:   # diverged
        T.check(rc == 0, f"diverged: exit {rc}: {out[-1500:]}")
        T.check(states == ["failed", "failed"], f"diverged: states {states}: {out[-1500:]}")
        T.check(all(r[5] and r[5].startswith("diverged") for r in rows), f"diverged: reasons {[r[5] for r in rows]}")
        T.check(all(r[3] is None for r in rows), f"diverged: rewards {[r[3] for r in rows]}")
T.finish("test_faults")
