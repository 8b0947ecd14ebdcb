"""test_prune_workers.py — early stopping (`prune asha(...)`) in a search shared by two
`nasrun --worker` processes on one SQLite store.

The trainer is test_prune's: an epoch line per epoch, accuracy after epoch e of 9 a known
function of the decisions, and it logs (seq, arch) of every training it starts. Checked:
- two workers, parallel 2 each: both end 0, both ran trials; every prune decision in the store
  is the ASHA rule (rungs 1 and 3, reduction 3) recomputed from the store alone on the trials
  told before the trial's ask, whichever worker told them (some decisions rest on the other
  worker's trials); pruned rows hold the epoch they reached and the curve up to it; every seq is
  stored once and trained once; each worker's summary counts the epochs saved as the store
  says, over both workers' trials.
- one of the two workers killed (SIGKILL, with its trainers) mid-trial, twice, and started
  again: its trials are taken over (attempts > 1) and decided as the rule says on the history
  before their first ask; no seq is stored twice, none trained more often than claimed."""
import collections, time
import nastest as T

TRAINER = r'''import json, os, time
d = json.loads(os.environ["NAS_DECISIONS"])
open("runs.log", "a").write(f"{os.environ['NAS_TRIAL_SEQ']} {os.environ['NAS_ARCH_ID']}\n")
final = 0.4 + 0.1 * [2, 4, 8, 16].index(d["w"]) + 0.02 * d["v"]
E = int(os.environ["NAS_EPOCHS"])
for e in range(1, E + 1):
    time.sleep(float(os.environ.get("SLEEP", "0.05")))
    print(json.dumps({"epoch": e, "accuracy": final * (1 - 0.6 ** e) / (1 - 0.6 ** E)}), flush=True)
print(json.dumps({"accuracy": final}))
'''
N = 20
ENV = {"NAS_HEARTBEAT_SECONDS": "0.5"}


def worker(f, env=None):
    return T.start([f, "--worker"], dict(ENV, **(env or {})))


def trainings(d):
    """{seq: number of trainings started} from the trainer's log."""
    c = collections.Counter()
    for line in open(d + "/runs.log"):
        seq, arch = line.split()
        c[int(seq)] += 1
    return c


def cross_worker(name, store, rows):
    """Some pruned trial's history holds a trial of the other worker."""
    by = dict(T.rows(store, "SELECT seq, worker FROM trial WHERE stage = 1"))
    told = [r for r in rows if r[2] in (T.DONE, T.PRUNED)]
    mixed = [r[0] for r in rows if r[2] == T.PRUNED and any(h[6] < r[5] and by[h[0]] != by[r[0]] for h in told)]
    T.check(mixed, f"{name}: no pruned trial's history holds the other worker's trials")


def summary(name, p, rows):
    """The epochs-saved line of a worker's summary, from the store's rows: a pruned trial ran
    its reached epoch of the 9 planned, a done one 9."""
    fin = [r for r in rows if r[2] in (T.DONE, T.PRUNED)]
    npruned, run = sum(r[2] == T.PRUNED for r in fin), sum(r[4] if r[2] == T.PRUNED else 9 for r in fin)
    line = f"stage 1 pruned {npruned} of {len(fin)} trials (asha): {run} of {9 * len(fin)} epochs run, "
    line += f"{9 * len(fin) - run} saved"
    T.check(line in T.output(p), f"{name}: the summary does not say `{line}`: {T.output(p)[-800:]}")


def two_workers():
    name = "two workers"
    d = T.workdir()
    f = T.prune_case(d, TRAINER, N, 2)
    store = d + "/p.nasdb"
    ws = [worker(f), worker(f)]
    for p in ws:
        p.wait(timeout=200)
        T.check(p.returncode == 0, f"{name}: a worker exited {p.returncode}: {T.output(p)[-1500:]}")
    rows = T.rows(store, T.PRUNE_ROWS)
    n = T.check_asha(name, rows, N)
    cross_worker(name, store, rows)
    workers = T.rows(store, "SELECT count(DISTINCT worker), max(attempts) FROM trial WHERE stage = 1")[0]
    T.check(workers == (2, 1), f"{name}: (workers, attempts) {workers}: both should run trials, each once")
    runs = trainings(d)
    T.check(max(runs.values()) == 1, f"{name}: a seq trained twice: {runs}")
    T.check(sorted(runs) == sorted(r[0] for r in rows if r[2] != T.CACHED),
            f"{name}: trained {sorted(runs)}, stored as trained {[r[0] for r in rows if r[2] != T.CACHED]}")
    for p in ws:
        summary(name, p, rows)
    print(f"{name}: {n} of {N} pruned", flush=True)


def killed_worker():
    name = "a worker killed"
    d = T.workdir()
    f = T.prune_case(d, TRAINER, N, 2)
    store = d + "/p.nasdb"
    env = {"SLEEP": "0.1"}
    steady, killed = worker(f, env), worker(f, env)
    def running(p):
        try:
            return T.rows(store, "SELECT count(*) FROM trial WHERE state = 0 AND worker LIKE ?", (f"%:{p.pid}",))[0][0]
        except Exception:                    # not created yet
            return 0
    kills = 0
    for _ in range(2):
        T.wait_for(lambda: running(killed) > 0, 60)
        time.sleep(0.3)                      # mid-trial: an epoch or more in
        if killed.poll() is not None:
            break
        T.kill_group(killed)
        kills += 1
        killed = worker(f, env)
    for p in (steady, killed):
        p.wait(timeout=200)
        T.check(p.returncode == 0, f"{name}: a worker exited {p.returncode}: {T.output(p)[-1500:]}")
    T.check(kills == 2, f"{name}: only {kills} kills landed")
    rows = T.rows(store, T.PRUNE_ROWS)
    T.check_asha(name, rows, N)
    attempts = dict(T.rows(store, "SELECT seq, attempts FROM trial WHERE stage = 1"))
    T.check(max(attempts.values()) > 1, f"{name}: no trial was taken over: {attempts}")
    over = {s: c for s, c in trainings(d).items() if c > attempts[s]}
    T.check(not over, f"{name}: trained more often than claimed: {over} (attempts {attempts})")
    summary(name, steady, rows)


if __name__ == "__main__":
    two_workers()
    killed_worker()
    T.finish("test_prune_workers")
