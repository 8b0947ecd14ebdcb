"""nastest.py — helpers for the end-to-end tests: temporary .nas files, running nasrun, and
reading the trial store (SQLite) directly to check what was recorded."""
import json, os, shutil, signal, sqlite3, subprocess, sys, tempfile, time

NASRUN = os.environ.get("NASRUN", "nasrun")
FAILURES = []
STATES = ["running", "done", "infeasible", "failed", "cached", "pruned"]
RUNNING, DONE, INFEASIBLE, FAILED, CACHED, PRUNED = range(6)


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, flush=True)
    return cond


SANITIZER = ("Sanitizer", "runtime error:")   # ASan/LSan/UBSan reports, in a -DNAS_SANITIZE=ON build
_LOGS = []


def sanitizer_clean(text, what):
    return check(not any(w in text for w in SANITIZER), f"{what}: sanitizer report: {text[-2500:]}")


def remove_trial_dirs(trial_log):
    """The per-trial directories a SIGKILLed nasrun could not remove (its trainer logged them)."""
    if os.path.exists(trial_log):
        for line in open(trial_log):
            parts = line.split()
            if len(parts) == 3 and os.path.basename(parts[2]).startswith("nas-trial-"):
                shutil.rmtree(parts[2], ignore_errors=True)


def finish(name):
    for log in _LOGS:                # every nasrun started in the background
        with open(log, errors="replace") as f:
            sanitizer_clean(f.read(), f"nasrun logged in {log}")
    if FAILURES:
        print(f"{name}: {len(FAILURES)} checks failed (work directories kept: {' '.join(_DIRS)})")
        sys.exit(1)
    for d in _DIRS:
        shutil.rmtree(d, ignore_errors=True)
    print(f"{name}: ok")


_DIRS = []


def workdir():
    d = tempfile.mkdtemp(prefix="nas-e2e-")
    _DIRS.append(d)
    return d


# A trainer whose reward is known: how close the 8 width choices c of the layers are to the
# target pattern TARGET, 1 - sum |c_i - t_i| / 20 (20 is the largest distance), so 1.0 is the
# single best architecture and the landscape is smooth enough for a learning controller to
# climb. The decisions arrive as JSON in NAS_DECISIONS ({"layer[0].c": 3, ...}). A POSIX sh
# script sourced by nasrun's `sh -c`: a trial costs one fork and no interpreter start-up (the
# machine is loaded and the learning test runs hundreds of trials).
# MODE in the environment makes it misbehave on purpose (the fault tests), on the trials
# whose seq % BAD_EVERY == 1 in stage BAD_STAGE (default 1).
TARGET = [1, 4, 2, 3, 1, 4, 2, 3]
TRAINER = r'''
d=$NAS_DECISIONS
dist=0
i=0
for t in 1 4 2 3 1 4 2 3; do
    v=${d#*"layer[$i].c\": "}
    v=${v%%[,\}]*}
    case $v in [1-4]) ;; *) echo "cannot read layer[$i].c in $d" >&2; exit 9 ;; esac
    if [ "$v" -gt "$t" ]; then dist=$((dist + v - t)); else dist=$((dist + t - v)); fi
    i=$((i + 1))
done
[ -n "$TRIAL_LOG" ] && echo "$NAS_TRIAL_SEQ $NAS_ARCH_ID ${NAS_ARCH_FILE%/*}" >> "$TRIAL_LOG"
case $NAS_ARCH_ID in ''|*' '*) echo "bad NAS_ARCH_ID" >&2; exit 9 ;; esac
[ -f "$NAS_ARCH_FILE" ] || { echo "no NAS_ARCH_FILE" >&2; exit 9; }
if [ "${BAD_EVERY:-0}" -gt 0 ] && [ $((NAS_TRIAL_SEQ % BAD_EVERY)) -eq 1 ] && [ "$NAS_STAGE" = "${BAD_STAGE:-1}" ]; then
    case ${MODE:-ok} in
        segv) kill -SEGV $$ ;;
        hang) sleep 600; echo '{"accuracy": 1}' ;;    # a child process holds the pipe open
        garbage) echo "loss: 0.3 (not json)"; exit 0 ;;
        exit) echo "something broke" >&2; exit 3 ;;
        background) (sleep 30; echo late) & ;;          # exits normally, a child holds the pipe
    esac
fi
[ -n "$SLEEP" ] && sleep "$SLEEP"
[ -n "$SLEEP2" ] && [ "$NAS_STAGE" = 2 ] && sleep "$SLEEP2"
score=$((1000 - dist * 50))
case $score in 1000) acc=1.000 ;; ?) acc=0.00$score ;; ??) acc=0.0$score ;; *) acc=0.$score ;; esac
if [ -n "$METRICS_FILE_MODE" ]; then
    printf '{"accuracy": %s, "params": %d}\n' "$acc" $((1000 + NAS_TRIAL_SEQ)) > "$NAS_METRICS_FILE"
else
    echo "epoch 1 ..."
    printf '{"accuracy": %s, "params": %d, "bleu": %d}\n' "$acc" $((1000 + NAS_TRIAL_SEQ)) $((2 * dist))
fi
'''


def known_reward(decisions):
    """The reward the trainer above gives to a decisions object."""
    dist = sum(abs(decisions[f"layer[{i}].c"] - t) for i, t in enumerate(TARGET))
    return (1000 - 50 * dist) / 1000      # as the trainer prints it: 0.450, not 1 - 11/20


def space_file(dirpath, algorithm="random", trials=20, parallel=1, max_failed=None,
               extra_search="", trainer_timeout=None, seed=1, name="space.nas", extra="",
               reward="maximize accuracy"):
    """A .nas file: 8 layers, each with a width choice of 4 values (65536 architectures),
    trained by the external trainer above; `reward`: the reward block's objectives."""
    trainer = os.path.join(dirpath, "trainer.sh")
    with open(trainer, "w") as f:
        f.write(TRAINER)
    mf = f"\n    max_failed {max_failed}" if max_failed is not None else ""
    tt = f"\n    timeout {trainer_timeout}s" if trainer_timeout else ""
    text = f'''use std.layers

dataset d {{
    format  synthetic(n = 100, seed = 1)
    input   [8]
    classes 2
}}

block layer(x: tensor) -> tensor {{
    let c = choice c [1, 2, 3, 4]
    return x |> dense(c * 4) |> relu
}}

model m(x: tensor[8]) -> tensor[2] {{
    repeat 8 {{ x = layer(x) }}
    return dense(x, 2)
}}

reward {{
    {reward}
}}

controller {{
    algorithm {algorithm}
    seed      {seed}
}}

trainer t {{
    exec    ". {trainer}"{tt}
}}

search s {{
    data     d.train split 90% / 10%
    trials   {trials}
    parallel {parallel}{mf}{extra_search}
}}
{extra}'''
    path = os.path.join(dirpath, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def builtin_file(dirpath, optimizer="sgd(lr = 0.1, momentum = 0.9)", trials=2, epochs=1,
                 dataset=None, name="builtin.nas", max_failed=None, settings=""):
    """A tiny built-in-trained search on synthetic data (or the dataset block given);
    `settings`: more lines for the search block."""
    ds = dataset or '''dataset d {
    format  synthetic(n = 200, seed = 1)
    input   [8]
    classes 2
}'''
    mf = f"\n    max_failed {max_failed}" if max_failed is not None else ""
    mf += f"\n    {settings}" if settings else ""
    text = f'''use std.layers

{ds}

model m(x: tensor[8]) -> tensor[2] {{
    let w = choice w [4, 8]
    return x |> dense(w) |> relu |> dense(2)
}}

reward {{
    maximize accuracy
}}

search s {{
    data      d.train split 80% / 20%
    epochs    {epochs}
    batch     32
    optimizer {optimizer}
    trials    {trials}{mf}
}}
'''
    path = os.path.join(dirpath, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def env():
    e = dict(os.environ)
    e.setdefault("NAS_STDLIB", os.path.join(os.path.dirname(__file__), "..", "..", "stdlib"))
    return e


def run(args, env_extra=None, timeout=300, check_rc=None):
    e = env()
    e.update(env_extra or {})
    p = subprocess.run([NASRUN] + args, capture_output=True, text=True, env=e, timeout=timeout)
    sanitizer_clean(p.stderr, f"nasrun {' '.join(args)}")
    if check_rc is not None and not check(p.returncode == check_rc,
                                          f"nasrun {' '.join(args)}: exit {p.returncode}, expected {check_rc}"):
        print("stdout:", p.stdout[-3000:], "\nstderr:", p.stderr[-3000:], flush=True)
    return p


def no_crash(p, what):
    """The process ended by itself (no signal); run() already looked for sanitizer reports."""
    check(p.returncode >= 0, f"{what}: killed by signal {-p.returncode}")


def trials(store, stage=1, experiment=None):
    """(seq, arch_id, state, reward, reason, attempts) of a stage, in seq order."""
    db = sqlite3.connect(store)
    exp = experiment if experiment is not None else db.execute("SELECT max(id) FROM experiment").fetchone()[0]
    rows = db.execute("SELECT seq, arch_id, state, reward, reason, attempts FROM trial "
                      "WHERE experiment = ? AND stage = ? ORDER BY seq", (exp, stage)).fetchall()
    db.close()
    return rows


def write_lock_free(store, wait=0):
    """Whether the SQLite store's write lock can be taken (within `wait` seconds)."""
    db = sqlite3.connect(store, timeout=wait, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        db.close()


def rows(store, sql, args=()):
    db = sqlite3.connect(store)
    r = db.execute(sql, args).fetchall()
    db.close()
    return r


# ---- early stopping (`prune asha(min = 1, reduction = 3)` over 9 epochs) ----

PRUNE_ROWS = ("SELECT seq, arch_id, state, round(reward, 9), json_extract(metrics, '$.epoch'), ask_event, "
              "tell_event, curve FROM trial WHERE stage = 1 ORDER BY seq")


def curve_values(curve):
    """{epoch: accuracy} of a stored curve."""
    return {o["epoch"]: o["accuracy"] for o in json.loads(curve or "[]")}


def asha_stop(hist, mine, rungs=(1, 3), reduction=3):
    """The first rung at which ASHA stops the curve `mine` given the curves of the trials told
    before it was asked (prune.c, Optuna's SuccessiveHalvingPruner): 0, never."""
    for rung in rungs:
        vals = [h[rung] for h in hist if rung in h] + [mine[rung]]
        top = max(len(vals) // reduction - 1, 0)
        if mine[rung] < sorted(vals, reverse=True)[top]:
            return rung
    return 0


def check_asha(name, rows, n, epochs=9):
    """Recomputes every decision from the rows (PRUNE_ROWS) alone: a trial's history is the
    trials told (done or pruned) before it was asked, tell_event < its ask_event. Returns the
    number pruned (at least 3)."""
    told = sorted((r for r in rows if r[2] in (DONE, PRUNED)), key=lambda r: r[6])
    npruned = 0
    for r in rows:
        if r[2] not in (DONE, PRUNED):
            continue
        mine = curve_values(r[7])
        if not check(len(mine) == max(mine, default=0) > 0, f"{name}: seq {r[0]} {r[1]}: curve {r[7]}"):
            continue
        want = asha_stop([curve_values(h[7]) for h in told if h[6] < r[5]], mine)
        got = r[4] if r[2] == PRUNED else 0
        npruned += r[2] == PRUNED
        check(got == want, f"{name}: seq {r[0]} {r[1]}: pruned at {got}, the rule says {want or 'never'}")
        check(len(mine) == (want or epochs), f"{name}: seq {r[0]}: curve of {len(mine)} epochs")
    check(npruned >= 3, f"{name}: only {npruned} trials pruned")
    check(sorted(r[0] for r in rows) == list(range(n)), f"{name}: seqs {[r[0] for r in rows]}")
    check(all(r[2] in (DONE, PRUNED, CACHED) for r in rows), f"{name}: states {[STATES[r[2]] for r in rows]}")
    return npruned


def start(args, env_extra=None):
    """nasrun in the background (its own process group), output to files."""
    e = env()
    e.update(env_extra or {})
    fd, log = tempfile.mkstemp(prefix="nasrun-", suffix=".log", dir=workdir())
    p = subprocess.Popen([NASRUN] + args, stdout=fd, stderr=subprocess.STDOUT, env=e,
                         start_new_session=True)
    os.close(fd)
    p.log = log
    _LOGS.append(log)
    return p


def output(p):
    """What a process from start() printed (stdout and stderr)."""
    with open(p.log, errors="replace") as f:
        return f.read()


def kill_group(p):
    """SIGKILL nasrun and every trial process it started (a machine losing power)."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def wait_for(pred, timeout, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def prune_case(d, trainer, trials, parallel):
    """The prune tests' search in d: `trainer` (Python) as t.py, 4 x 5 architectures, 9 epochs,
    asha(min = 1, reduction = 3) at `parallel`: the file's path."""
    open(d + "/t.py", "w").write(trainer)
    f = d + "/p.nas"
    open(f, "w").write(f'''use std.layers
dataset blobs {{
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}}
model m(x: tensor[8]) -> tensor[2] {{
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2 + choice v 0 .. 4) |> relu |> dense(2)
}}
reward {{ maximize accuracy }}
trainer exec "python3 t.py"
controller {{
    algorithm evolution(population = 4, sample = 2)
    seed      11
}}
search s {{
    data     blobs.train split 50% / 50%
    trials   {trials}
    epochs   9
    parallel {parallel}
    prune    asha(min = 1, reduction = 3)
}}
''')
    return f


def image_design_space(widths, proxy):
    """The 8x8-image space the proxy-design e2e cases share: one conv2d of a width in `widths`,
    an external trainer, a 3-trial search and a full train; `proxy`: the lines of its proxy
    design block."""
    return """use std.layers
dataset imgs {
    format  synthetic(n = 200, seed = 1)
    input   [1, 8, 8]
    classes 2
}
model m(x: tensor[1, 8, 8]) -> tensor[2] {
    return x |> conv2d(choice w %r, stride = 2) |> relu |> global_avgpool |> dense(2)
}
reward { maximize accuracy }
trainer exec "python3 trainer.py"
search s1 {
    data     imgs.train split 80%% / 20%%
    trials   3
    parallel 2
}
train full {
    from   s1 top 1
    data   imgs.train / imgs.test
}
proxy design {
%s
}
""" % (widths, proxy)


def trainer_case(trainer, space, finished="stage < 0"):
    """A case's directory with its external trainer: trainer.py and space.nas written; (nas file,
    store, trial log, the env its trainer needs) and a function counting the finished (done)
    trials WHERE `finished` (default: the proxy design's)."""
    d = workdir()
    with open(os.path.join(d, "trainer.py"), "w") as f:
        f.write(trainer)
    nas = os.path.join(d, "space.nas")
    with open(nas, "w") as f:
        f.write(space)
    store, tlog = os.path.join(d, "space.nasdb"), os.path.join(d, "trials.log")

    def done():
        try:  # the store file may exist before its tables do
            return rows(store, f"SELECT count(*) FROM trial WHERE {finished} AND state = 1")[0][0]
        except sqlite3.OperationalError:
            return 0

    return nas, store, tlog, {"TRIAL_LOG": tlog, "NAS_HEARTBEAT_SECONDS": "1"}, done
