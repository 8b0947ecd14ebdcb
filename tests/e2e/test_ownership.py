"""test_ownership.py — a trial's claim can be neither lost nor stolen (SQLite store).

Heartbeats every 0.5 s (NAS_HEARTBEAT_SECONDS), so a claim is stale after 3 s.
- Same host: nasrun A is stopped (SIGSTOP) past the stale time; a second nasrun B is still
  refused (exit 2: A's process is alive), A goes on after SIGCONT and ends the search: every
  seq once, each reward its own architecture's.
- Another host (B in its own UTS namespace, so its host name differs): A is stopped past the
  stale time, B takes A's trials over (their attempts counted) and finishes the whole search;
  A, continued, is fenced off: its late heartbeat or result refused by the store, or the
  takeover noticed first; it says so and stops (exit 4). Every finished trial is stored once with its own architecture's reward, no seq
  names two architectures in the trainer's log, none is left running.
- Retries are capped: a trial whose worker dies three times (kill -9, with its trainer
  running) is given up as failed on the next run with the three reasons; the trainer ran it
  three times; the next trials run; no temporary directory of a dead attempt is left.
- A dead worker whose pid now belongs to a process started after its claim (a reboot, pid
  reuse) is gone: the next nasrun takes its trial over instead of refusing to run.
- A process holding the store's write lock past the stale time: nasrun exits 2 saying what
  holds it (a stopped or hung nasrun) and how to free it.
- Same host, the reproduction of issue 14 with a stale time of 3 s: A stopped 4 s while
  running; B refused; A goes on (checked by same_host above)."""
import json, os, signal, sqlite3, subprocess, time
import nastest as T

BEAT = {"NAS_HEARTBEAT_SECONDS": "0.5"}


def trainer_log(path):
    """{seq: [arch_id of each start]} from the trainer's log."""
    starts = {}
    if os.path.exists(path):
        for line in open(path):
            seq, arch, _ = line.split()
            starts.setdefault(int(seq), []).append(arch)
    return starts


def check_store(name, store, trials, log):
    rows = T.rows(store, "SELECT seq, arch_id, state, reward, decisions FROM trial WHERE stage = 1 ORDER BY seq")
    T.check([r[0] for r in rows] == list(range(trials)), f"{name}: seqs {[r[0] for r in rows]}")
    starts = trainer_log(log)
    for seq, arch, state, reward, dec in rows:
        T.check(state in (T.DONE, T.CACHED), f"{name}: seq {seq} is {T.STATES[state]}")
        if state == T.DONE:
            want = T.known_reward(json.loads(dec))
            T.check(reward == want, f"{name}: seq {seq} ({arch}) reward {reward}, its architecture gives {want}")
        T.check(set(starts.get(seq, [arch])) == {arch},
                f"{name}: seq {seq} is {arch} in the store, the trainer ran {starts.get(seq)}")


def wait_finished(store, n, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if T.rows(store, "SELECT count(*) FROM trial WHERE state != 0")[0][0] >= n:
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


def holds_trial(store, pid):
    rows = T.rows(store, "SELECT worker FROM trial WHERE state = ?", (T.RUNNING,))
    return any(w and w.endswith(f":{pid}") for (w,) in rows)


def stop_outside_transaction(a, store):
    """SIGSTOP A where it holds no write lock but a running trial: a worker stopped inside its
    (millisecond) write holds the file's lock, which nothing can take from a live process
    (held_lock below); one stopped between its trials is on no row, so nothing shows it alive
    and B rightly runs the experiment (A, continued, is then refused its next claim)."""
    for _ in range(200):
        os.kill(a.pid, signal.SIGSTOP)
        if T.write_lock_free(store) and holds_trial(store, a.pid):
            return
        os.kill(a.pid, signal.SIGCONT)
        time.sleep(0.01)
    T.check(False, "A held the store's write lock or no trial at every stop")


def stopped_worker(name, trials, sleep, finished, stopped):
    """nasrun A on a search of `trials` at parallel 2, SIGSTOPped for `stopped` seconds (past
    the stale time) once `finished` trials are: (file, store, trainer log, env, A)."""
    d = T.workdir()
    f = T.space_file(d, trials=trials, parallel=2)
    store, log = f[:-4] + ".nasdb", os.path.join(d, "trials.log")
    env = dict(BEAT, SLEEP=sleep, TRIAL_LOG=log)
    a = T.start([f], env)
    T.check(wait_finished(store, finished), f"{name}: A finished no trial")
    stop_outside_transaction(a, store)
    time.sleep(stopped)
    return f, store, log, env, a


def same_host():
    f, store, log, env, a = stopped_worker("same host", 16, "0.3", 2, 4)
    b = T.run([f], env)
    T.check(b.returncode == 2 and "another nasrun" in b.stderr,
            f"same host: B (A stopped but alive) exit {b.returncode}: {b.stderr[-600:]}")
    os.kill(a.pid, signal.SIGCONT)
    rc = a.wait(timeout=120)
    T.check(rc == 0, f"same host: A exit {rc}: {T.output(a)[-800:]}")
    check_store("same host", store, 16, log)


def other_host():
    if subprocess.run(["unshare", "--uts", "true"], capture_output=True).returncode != 0:
        T.check(os.geteuid() != 0, "other host: unshare --uts fails as root")
        print("other host: not run (unshare --uts needs root)")
        return
    f, store, log, env, a = stopped_worker("other host", 14, "0.4", 3, 4.5)
    held = T.rows(store, "SELECT seq FROM trial WHERE state = 0")
    e = T.env()
    e.update(env)
    b = subprocess.run(["unshare", "--uts", "sh", "-c", 'hostname nas-other-host && exec "$0" "$@"', T.NASRUN, f],
                       capture_output=True, text=True, env=e, timeout=120)
    T.check(b.returncode == 0, f"other host: B exit {b.returncode}: {b.stderr[-800:]}")
    os.kill(a.pid, signal.SIGCONT)
    rc = a.wait(timeout=60)
    out = T.output(a)
    T.check(rc == 4, f"other host: A (fenced off) exit {rc}, expected 4: {out[-800:]}")
    # Fenced one of three ways, all correct, by timing: a late write refused by the store, the
    # takeover noticed on A's first turn after SIGCONT, or a claim refused (B holds the trials).
    fenced = ("refused by the store", "another has taken the experiment over", "another nasrun works on this experiment")
    T.check(any(m in out for m in fenced), f"other host: A did not say how it was fenced off: {out[-800:]}")
    check_store("other host", store, 14, log)
    for (seq,) in held:
        att = T.rows(store, "SELECT attempts, worker FROM trial WHERE stage = 1 AND seq = ?", (seq,))[0]
        T.check(att[0] == 2 and att[1].startswith("nas-other-host:"), f"other host: seq {seq} taken over as {att}")
    print(f"other host: B took over seqs {[s for (s,) in held]}", flush=True)


def retries():
    d = T.workdir()
    tmp = os.path.join(d, "tmp")
    os.mkdir(tmp)
    f = T.space_file(d, trials=3)
    store, log = f[:-4] + ".nasdb", os.path.join(d, "trials.log")
    env = dict(BEAT, TRIAL_LOG=log, TMPDIR=tmp)
    for k in range(3):
        p = T.start([f], dict(env, SLEEP="30"))
        end = time.time() + 30
        while len(trainer_log(log).get(0, [])) < k + 1 and time.time() < end:
            time.sleep(0.05)
        os.kill(p.pid, signal.SIGKILL)           # nasrun only: its trainer dies with it
        p.wait()
    p = T.run([f], env, check_rc=0)
    rows = T.trials(store)
    T.check(len(rows) == 3 and rows[0][2] == T.FAILED, f"retries: rows {rows}")
    reason = rows[0][4] or ""
    T.check("given up after 3 attempts" in reason and reason.count("lost") == 3, f"retries: reason {reason!r}")
    T.check([r[2] for r in rows[1:]] == [T.DONE, T.DONE], f"retries: the next trials {rows[1:]}")
    T.check(len(trainer_log(log).get(0, [])) == 3, f"retries: seq 0 started {trainer_log(log).get(0)}")
    left = [n for n in os.listdir(tmp) if n.startswith("nas-trial-")]
    T.check(left == [], f"retries: temporary directories left: {left}")


def pid_reused():
    d = T.workdir()
    f = T.space_file(d, trials=2)
    store, log = f[:-4] + ".nasdb", os.path.join(d, "trials.log")
    p = T.start([f], dict(BEAT, TRIAL_LOG=log, SLEEP="30"))
    end = time.time() + 30
    while not trainer_log(log) and time.time() < end:
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    time.sleep(2.5)                              # the new process starts well after the claim
    other = subprocess.Popen(["sleep", "60"])
    host = T.rows(store, "SELECT worker FROM trial WHERE state = 0")[0][0].rsplit(":", 1)[0]
    db = __import__("sqlite3").connect(store)
    db.execute("UPDATE trial SET worker = ? WHERE state = 0", (f"{host}:{other.pid}",))
    db.commit()
    db.close()
    r = T.run([f], BEAT)
    other.kill()
    other.wait()
    T.check(r.returncode == 0, f"pid reused: exit {r.returncode}: {r.stderr[-600:]}")
    rows = T.trials(store)
    T.check(len(rows) == 2 and rows[0][2] == T.DONE and rows[0][5] == 2, f"pid reused: rows {rows}")


def held_lock():
    """A process that holds the store's write lock past the stale time (3 s here) makes nasrun
    stop with exit 2 and say what holds it, instead of waiting forever or saying only "locked"."""
    d = T.workdir()
    f = T.space_file(d, trials=2)
    store = f[:-4] + ".nasdb"
    T.run([f], BEAT, check_rc=0)
    db = sqlite3.connect(store, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    t0 = time.time()
    r = T.run([f, "--new"], BEAT)
    waited = time.time() - t0
    db.execute("ROLLBACK")
    db.close()
    T.check(r.returncode == 2 and "held the store's write lock for 3 s" in r.stderr and "kill -CONT" in r.stderr,
            f"held lock: exit {r.returncode}: {r.stderr[-600:]}")
    T.check(2.5 < waited < 60, f"held lock: nasrun gave up after {waited:.1f} s, its stale time is 3 s")
    r = T.run([f, "--new"], BEAT)
    T.check(r.returncode == 0, f"held lock: once freed, exit {r.returncode}: {r.stderr[-600:]}")


same_host()
other_host()
held_lock()
retries()
pid_reused()
T.finish("ownership")
