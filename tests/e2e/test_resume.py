"""test_resume.py — a search killed with SIGKILL at random moments and rerun each time ends
as if it had never been interrupted.

parallel 1: KILLS times, nasrun (only nasrun: its trial process is orphaned, as when the
machine kills it for memory) gets SIGKILL at a random moment; each rerun resumes. At the end
the store holds seqs 0..N-1 exactly once, none left running, the attempts of each seq are
1 + the number of kills that caught it running, and the list of (seq, arch_id, reward) is
identical to an uninterrupted run with the same seed in another directory (so the replay of
the controller's history reproduces its proposals). No "replayed proposals differ" note.

parallel 2: the proposals after a resume may legitimately differ from an uninterrupted run
(the order of results told to the controller depends on timing), so what must hold is: no
finished trial is lost (every row finished at a kill is unchanged at the end: same arch,
reward, state, finish time and attempts) or rerun (its trainer never starts again after the
kill), every trial running at a kill is retried under the same seq and arch with attempts
counted, and the store ends with seqs 0..N-1, none running.

Also: SIGINT ends nasrun within seconds (exit 130), the trial it ran is retried on resume;
a second nasrun on a store that a live one is using is refused with a message (exit 2).
Stage 2 killed and resumed: see stage2() below."""
import os, random, signal, time
from concurrent.futures import ThreadPoolExecutor
import nastest as T

SEED = int(os.environ.get("RESUME_SEED", random.randrange(1 << 30)))
print("random moments from seed", SEED, "(rerun with RESUME_SEED to repeat)")
ALGO = "evolution(population = 6, sample = 3)"
SNAP = "SELECT seq, arch_id, state, reward, finished, attempts FROM trial WHERE stage = 1"


def finished(store):
    try:
        return T.rows(store, "SELECT count(*) FROM trial WHERE stage = 1 AND state != 0")[0][0]
    except Exception:                            # not created yet
        return 0


def interrupted_run(name, d, f, kills, sleep, rnd):
    """Kills nasrun `kills` times, each at a random moment after a random number of further
    trials finished; returns [(rows at the kill, trainer log lines at the kill)] and the
    last run."""
    store, log = d + "/space.nasdb", d + "/trainer.log"
    env = {"SLEEP": sleep, "TRIAL_LOG": log}
    snaps = []
    for k in range(kills):
        target = finished(store) + rnd.randint(1, 3)   # each run gets somewhere
        p = T.start([f], env)
        T.wait_for(lambda: p.poll() is not None or finished(store) >= target, 120)
        time.sleep(rnd.uniform(0, 0.2))
        if p.poll() is not None:                 # finished before the kill: nothing to do
            T.check(p.returncode == 0, f"{name}: run {k} exit {p.returncode}: {T.output(p)[-1500:]}")
            break
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        out = T.output(p)
        if k > 0:
            T.check("resuming experiment" in out, f"{name}: run {k} did not say it resumed: {out[-800:]}")
        T.check("another nasrun" not in out, f"{name}: run {k} refused: {out[-800:]}")
        rows = T.rows(store, SNAP) if os.path.exists(store) else []
        lines = open(log).read().split("\n") if os.path.exists(log) else []
        snaps.append((rows, lines))
        print(f"{name}: kill {k + 1}: {sum(r[2] != T.RUNNING for r in rows)} finished, "
              f"running {[r[0] for r in rows if r[2] == T.RUNNING]}", flush=True)
    last = T.run([f], env, timeout=300, check_rc=0)
    T.remove_trial_dirs(log)
    return snaps, last


def check_store(name, store, n, snaps):
    rows = T.rows(store, SNAP)
    seqs = sorted(r[0] for r in rows)
    T.check(seqs == list(range(n)), f"{name}: seqs {seqs}")
    T.check(all(r[2] in (T.DONE, T.CACHED) for r in rows), f"{name}: states {[T.STATES[r[2]] for r in rows]}")
    final = {r[0]: r for r in rows}
    caught = {}
    for before, _ in snaps:
        for r in before:
            if r[2] == T.RUNNING:
                caught[r[0]] = caught.get(r[0], 0) + 1
                T.check(final.get(r[0], (None, None))[1] == r[1],
                        f"{name}: seq {r[0]} was running {r[1]}, ended as {final.get(r[0])}")
            else:
                T.check(final.get(r[0]) == r, f"{name}: finished trial changed after a kill: {r} -> {final.get(r[0])}")
    for seq, r in final.items():
        T.check(r[5] == 1 + caught.get(seq, 0),
                f"{name}: seq {seq} attempts {r[5]}, caught running by {caught.get(seq, 0)} kills")
    return rows


def trainer_starts(lines):
    return [l.split()[0] for l in lines if l.strip()]


def reference(n):
    d = T.workdir()
    f = T.space_file(d, algorithm=ALGO, trials=n, seed=5)
    T.run([f, "--quiet"], {"SLEEP": "0.05"}, check_rc=0)
    return [(r[0], r[1], r[3]) for r in T.trials(d + "/space.nasdb")]


def parallel1(n, want):
    """parallel 1: identical to an uninterrupted run."""
    d = T.workdir()
    f = T.space_file(d, algorithm=ALGO, trials=n, seed=5)
    # trials of 0.15 s: the kill's random delay (up to 0.2 s) then lets at most ~2 more finish,
    # so the kills land before the 12 trials are done (at 0.05 s a run could finish them all)
    snaps, last = interrupted_run("parallel 1", d, f, 4, "0.15", random.Random(SEED))
    T.check(len(snaps) >= 2, f"parallel 1: only {len(snaps)} kills landed mid-search")
    T.check("replayed proposals differ" not in last.stderr, f"parallel 1: replay differs: {last.stderr[-800:]}")
    rows = check_store("parallel 1", d + "/space.nasdb", n, snaps)
    got = [(r[0], r[1], r[3]) for r in sorted(rows)]
    T.check(got == want.result(), f"parallel 1: resumed search differs from the uninterrupted one:\n"
            f"  got  {got}\n  want {want.result()}")
    starts = trainer_starts(open(d + "/trainer.log").read().split("\n"))
    for seq, arch, st, reward, fin, attempts in rows:
        k = starts.count(str(seq))
        T.check(1 <= k <= attempts if st == T.DONE else k == 0,
                f"parallel 1: seq {seq} ({T.STATES[st]}, {attempts} attempts): its trainer started {k} times")


def parallel2(n):
    """parallel 2: nothing finished is lost or rerun."""
    d = T.workdir()
    f = T.space_file(d, algorithm=ALGO, trials=n, parallel=2, seed=7)
    snaps, last = interrupted_run("parallel 2", d, f, 3, "0.2", random.Random(SEED + 1))
    T.check(len(snaps) >= 2, f"parallel 2: only {len(snaps)} kills landed mid-search")
    check_store("parallel 2", d + "/space.nasdb", n, snaps)
    final_starts = trainer_starts(open(d + "/trainer.log").read().split("\n"))
    for before, lines in snaps:
        after = final_starts[len(trainer_starts(lines)):]
        for r in before:
            if r[2] != T.RUNNING:
                T.check(str(r[0]) not in after, f"parallel 2: finished seq {r[0]} was trained again after a kill")


def interrupt_and_second_worker(n):
    """SIGINT ends nasrun promptly (exit 130) with the running trial left to retry; while a
    nasrun runs, a second one on the same store is refused (exit 2) and the first goes on."""
    d = T.workdir()
    f = T.space_file(d, algorithm=ALGO, trials=n, seed=9)
    store = d + "/space.nasdb"
    running = lambda: T.rows(store, "SELECT count(*) FROM trial WHERE state = 0")[0][0] if finished(store) else 0
    p = T.start([f], {"SLEEP": "3"})           # long trials: the second nasrun needs seconds to start
    T.wait_for(lambda: p.poll() is not None or (finished(store) >= 1 and running()), 120)
    second = T.run([f], {"SLEEP": "3"}, timeout=120)
    T.check(second.returncode == 2 and "another nasrun" in second.stderr,
            f"second worker: exit {second.returncode}: {second.stderr[-800:]}")
    if not T.check(p.poll() is None, f"the first nasrun ended early: {T.output(p)[-800:]}"):
        return
    t0 = time.time()
    os.kill(p.pid, signal.SIGINT)
    rc = p.wait(timeout=60)
    T.check(rc == 130 and time.time() - t0 < 10, f"SIGINT: exit {rc} after {time.time() - t0:.1f} s")
    T.check("interrupted" in T.output(p), f"SIGINT: {T.output(p)[-800:]}")
    left = T.rows(store, "SELECT seq, attempts FROM trial WHERE state = 0")
    print(f"SIGINT: {rc}, left running {left}", flush=True)
    T.run([f, "--quiet"], {"SLEEP": "0.05"}, check_rc=0, timeout=240)
    rows = T.rows(store, SNAP)
    T.check(sorted(r[0] for r in rows) == list(range(n)) and all(r[2] != T.RUNNING for r in rows),
            f"after SIGINT and resume: {rows}")
    for seq, attempts in left:
        T.check([r[5] for r in rows if r[0] == seq] == [attempts + 1], f"SIGINT: seq {seq} was not retried once")


def stage2(n, top):
    """Killed in stage 2 and resumed: stage 2 ends with the best `top` of stage 1 in rank
    order, all done, the trial running at the kill retried (attempts counted), the ones
    finished before it and stage 1 unchanged; a second nasrun during stage 2 is refused."""
    d = T.workdir()
    f = T.space_file(d, trials=n, seed=2, extra=f"""
train full {{
    from   s top {top}
    data   d.train / d.test
    epochs 2
}}
""")
    store = d + "/space.nasdb"
    q2 = "SELECT seq, arch_id, state, reward, finished, attempts FROM trial WHERE stage = 2 ORDER BY seq"
    log = d + "/trainer.log"
    p = T.start([f], {"SLEEP2": "6", "TRIAL_LOG": log})   # stage-2 trials take 6 s: time for a second nasrun
    T.wait_for(lambda: p.poll() is not None or (finished(store) >= n and
               sum(r[2] != T.RUNNING for r in T.rows(store, q2)) >= 1), 120)
    second = T.run([f], timeout=120)
    T.check(second.returncode == 2 and "another nasrun" in second.stderr,
            f"stage 2: a second nasrun: exit {second.returncode}: {second.stderr[-800:]}")
    if not T.check(p.poll() is None, f"stage 2: the first nasrun ended early: {T.output(p)[-800:]}"):
        return
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    s1 = T.rows(store, SNAP)
    at_kill = T.rows(store, q2)
    print(f"stage 2: killed with {[(r[0], T.STATES[r[2]]) for r in at_kill]}", flush=True)
    T.run([f, "--quiet"], check_rc=0, timeout=240)
    T.remove_trial_dirs(log)
    T.check(T.rows(store, SNAP) == s1, "stage 2: the resume changed stage 1")
    final = T.rows(store, q2)
    best = [r[1] for r in sorted((r for r in s1 if r[2] == T.DONE), key=lambda r: (-r[3], r[0]))][:top]
    T.check([(r[0], r[1], r[2]) for r in final] == [(i, a, T.DONE) for i, a in enumerate(best)],
            f"stage 2: {[(r[0], r[1], T.STATES[r[2]]) for r in final]}, best of stage 1 {best}")
    for r in at_kill:
        now = [x for x in final if x[0] == r[0]]
        if r[2] == T.RUNNING:
            T.check(now and now[0][5] == r[5] + 1, f"stage 2: seq {r[0]} running at the kill: {now}")
        else:
            T.check(now == [r], f"stage 2: seq {r[0]} finished before the kill changed: {r} -> {now}")


with ThreadPoolExecutor(5) as pool:          # the searches at once: they mostly wait
    want = pool.submit(reference, 12)
    jobs = [pool.submit(parallel1, 12, want), pool.submit(parallel2, 12), pool.submit(interrupt_and_second_worker, 12),
            pool.submit(stage2, 4, 3)]
    for j in jobs:
        j.result()
T.finish("test_resume")
