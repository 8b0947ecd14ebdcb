"""test_signals.py — timeouts and signals always work, and trials die with their worker.

- A trainer that closes its stdout and sleeps (`exec sleep 40 > /dev/null`) with
  --trial-timeout 3: the trial fails "timed out after 3 s" and nasrun ends within 6 s of
  the trainer's start.
- The same trainer without a timeout: heartbeats go on (every 0.5 s here) while it runs;
  SIGTERM ends nasrun within 3 s, exit 143.
- SIGINT, SIGTERM, SIGHUP during trials: exit 130, 143, 129, and every process the trainers
  started (a `sleep` in the background of the shell) is gone.
- kill -9 of nasrun alone: its trainers' processes die with it (within 3 s).
- Trial children hold no read end of a pipe (another trial's report, nasrun's self-pipe):
  close-on-exec, at parallel 3.
- An architecture in flight is not run twice at once: a space of two architectures, 8
  trials at parallel 3: the trainer runs each architecture once; the other proposals are
  cached.
- `stop when failed > 20%` does not fire on the first failure (trial 1 of 12 fails, and
  trial 11): all 12 trials run."""
import os, signal, time
import nastest as T

BEAT = {"NAS_HEARTBEAT_SECONDS": "0.5"}


def write_trainer(d, text):
    with open(os.path.join(d, "trainer.sh"), "w") as f:
        f.write(text)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:                                          # a zombie is dead
        return open(f"/proc/{pid}/stat").read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def pids(path):
    return [int(x) for x in open(path).read().split()] if os.path.exists(path) else []


def wait_for(cond, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


# The trainer notes when it starts: nasrun's own start (the whole-space check, seconds under
# ASan) is not the trial's time.
SILENT = 'date +%s.%N > "$STARTED"; exec sleep 40 > /dev/null\n'


def started(path):
    try:
        return float(open(path).read())
    except (OSError, ValueError):
        return None


def timeout_closed_stdout():
    d = T.workdir()
    f = T.space_file(d, trials=1, max_failed=1)
    write_trainer(d, SILENT)
    mark = os.path.join(d, "started")
    p = T.run([f, "--trial-timeout", "3"], dict(BEAT, STARTED=mark), timeout=60)
    t0 = started(mark)
    took = time.time() - t0 if t0 else None
    rows = T.trials(f[:-4] + ".nasdb")
    print(f"timeout: {took} s from the trainer's start", flush=True)
    T.check(took is not None and took < 6, f"timeout: nasrun ended {took} s after the trainer started, "
            "with --trial-timeout 3")
    T.check(len(rows) == 1 and rows[0][2] == T.FAILED and "timed out after 3 s" in (rows[0][4] or ""),
            f"timeout: rows {rows}")


def beats_while_silent():
    d = T.workdir()
    f = T.space_file(d, trials=1)
    write_trainer(d, SILENT)
    mark = os.path.join(d, "started")
    p = T.start([f], dict(BEAT, STARTED=mark))
    store = f[:-4] + ".nasdb"
    T.check(wait_for(lambda: started(mark), 30), "heartbeat: the trainer did not start")
    time.sleep(3.5)
    age = T.rows(store, "SELECT (julianday('now') - 2440587.5) * 86400 - heartbeat FROM trial")
    T.check(age and age[0][0] < 1.5, f"heartbeat: {age} s old while the trainer is silent")
    t0 = time.time()
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=30)
    took = time.time() - t0
    T.check(rc == 143 and took < 3, f"silent trainer: SIGTERM gave exit {rc} after {took:.1f} s")


SLEEPER = 'sleep 30 & echo $! >> "$PIDS"; wait\n'


def signal_ends_trials(sig, want):
    d = T.workdir()
    f = T.space_file(d, trials=4, parallel=2)
    write_trainer(d, SLEEPER)
    log = os.path.join(d, "pids")
    p = T.start([f], dict(BEAT, PIDS=log))
    T.check(wait_for(lambda: len(pids(log)) >= 2, 20), f"{sig.name}: trainers did not start")
    p.send_signal(sig)
    rc = p.wait(timeout=30)
    T.check(rc == want, f"{sig.name}: exit {rc}, expected {want}: {T.output(p)[-500:]}")
    T.check(wait_for(lambda: not any(alive(x) for x in pids(log)), 3),
            f"{sig.name}: trainer processes {[x for x in pids(log) if alive(x)]} outlived nasrun")


def kill9_takes_trials():
    d = T.workdir()
    f = T.space_file(d, trials=4, parallel=2)
    write_trainer(d, SLEEPER)
    log = os.path.join(d, "pids")
    p = T.start([f], dict(BEAT, PIDS=log))
    T.check(wait_for(lambda: len(pids(log)) >= 2, 20), "kill -9: trainers did not start")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    T.check(wait_for(lambda: not any(alive(x) for x in pids(log)), 3),
            f"kill -9: trainer processes {[x for x in pids(log) if alive(x)]} outlived nasrun")
    for x in pids(log):
        if alive(x):
            os.kill(x, signal.SIGKILL)


def close_on_exec():
    d = T.workdir()
    f = T.space_file(d, trials=6, parallel=3)
    with open(os.path.join(d, "trainer.sh"), "a") as t:
        t.write('ls -l /proc/$$/fd >> "$FDLOG"; sleep 0.3\n')     # no $(...): its own pipe
    log = os.path.join(d, "fds")
    T.run([f], dict(BEAT, FDLOG=log), check_rc=0)
    lines = [l.split() for l in open(log)] if os.path.exists(log) else []
    # read ends: another trial's report pipe, or nasrun's own (a write end is the trial's own
    # stdout, which the shell may have saved above fd 9 for the redirection)
    pipes = [l[-3:] for l in lines if len(l) > 3 and l[-2] == "->" and l[-1].startswith("pipe:")
             and l[0].startswith("lr") and l[-3] not in ("0", "1", "2")]
    T.check(os.path.exists(log) and pipes == [], f"close-on-exec: trainers inherited {pipes}")


TWO = '''use std.layers

dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    let c = choice c [1, 2]
    return x |> dense(c * 4) |> relu |> dense(2)
}

reward {
    maximize accuracy
}

controller {
    algorithm random
    seed      3
}

trainer t {
    exec    "echo $NAS_TRIAL_SEQ $NAS_ARCH_ID >> $TRIAL_LOG; sleep 1; echo '{\\"accuracy\\": 0.5}'"
}

search s {
    data     d.train split 90% / 10%
    trials   8
    parallel 3
}
'''


def in_flight():
    d = T.workdir()
    f = os.path.join(d, "two.nas")
    with open(f, "w") as t:
        t.write(TWO)
    log = os.path.join(d, "trials.log")
    T.run([f], dict(BEAT, TRIAL_LOG=log), check_rc=0)
    ran = [l.split()[1] for l in open(log)] if os.path.exists(log) else []
    rows = T.trials(f[:-4] + ".nasdb")
    T.check(len(rows) == 8 and all(r[2] in (T.DONE, T.CACHED) for r in rows), f"in flight: rows {rows}")
    T.check(sorted(ran) == sorted(set(ran)), f"in flight: the trainer ran {ran}")
    cached = sum(r[2] == T.CACHED for r in rows)
    T.check(cached == 8 - len(ran), f"in flight: {cached} cached, {len(ran)} trained")


def stop_failed_minimum():
    d = T.workdir()
    f = T.space_file(d, trials=12, max_failed=5, extra_search="\n    stop when failed > 20%")
    T.run([f], {"MODE": "exit", "BAD_EVERY": "10"}, check_rc=0)
    rows = T.trials(f[:-4] + ".nasdb")
    T.check(len(rows) == 12 and sum(r[2] == T.FAILED for r in rows) == 2,
            f"stop when failed > 20%: {len(rows)} trials ran: {[T.STATES[r[2]] for r in rows]}")


timeout_closed_stdout()
beats_while_silent()
for sig, want in ((signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)):
    signal_ends_trials(sig, want)
kill9_takes_trials()
close_on_exec()
in_flight()
stop_failed_minimum()
T.finish("signals")
