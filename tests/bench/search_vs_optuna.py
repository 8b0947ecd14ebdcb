#!/usr/bin/python3
"""search_vs_optuna.py — the peer a user would pick instead: the same stage-1 search run by nas and
by Optuna (RandomSampler and TPESampler) + PyTorch CPU, side by side in ONE run.

The same space: read from the .nas file (--space, default examples/fashion_mnist.nas), never
translated by hand. Optuna suggests the decisions of `nasc --emit=space`'s table (define-by-run:
a conditional decision only when its parent holds a value of its `when` intervals), `nasc
--encode` names the architecture, `nasrun --export-arch ID a.py` writes it as an untrained
PyTorch module (PyTorch's initialisation), and the worker trains that with the file's stage-1
recipe. The same proxy: the first `search` block's data split, epochs, batch, optimizer (sgd or
adam) and schedule (constant or cosine(warmup, min_lr)), as nas's trainer runs them (the lr
warms up linearly over `warmup` steps, then decays on a cosine to min_lr; the last partial
batch dropped); validation accuracy on the held-out part. The split is a seeded random one of
the same sizes, not nas's own permutation. When the file declares a `proxy design`, nas runs
the design once before the rounds (`nasrun --stage design`, timed apart: it is not part of the
search) and both sides then train under the proxy it chose: its epochs, on its share of the
training split (nas: a prefix of its shuffled split; PyTorch: a prefix of its own); --no-design
drops the block instead, and both train the search's own epochs on the whole split.
The same budget: --trials trials per side, 2 at a time with 1 thread each (nasrun --parallel 2
--threads 1; Optuna: 2 worker processes sharing a JournalFileStorage study, each with
torch.set_num_threads(1) and OPENBLAS/OMP_NUM_THREADS=1).

Interleaved: the trials run in --rounds rounds of trials/rounds trials per side; the order of the
sides rotates each round, so the machine's drift (2x within minutes here) hits every side alike.
nas resumes its experiment each round (`nasrun --stage 1 --trials N`: the store replays the search
into the controller; --time-limit is lifted, the pauses would count); Optuna resumes its study.
Per round and side: the wall time of the round and the mean time of a trained trial (nas: the
store's started..finished of trials that trained, a repeat answered from the store excluded;
Optuna: suggest + encode + export + import + train + validate, measured in the worker). The
ratios reported are the medians of the per-round ratios (nas / Optuna) with their min..max.
The trials of a round train different architectures on each side (each sampler picks its own),
so the speed is also given in training GMAC/s: 3 x the forward MACs of its architectures
(`nasc --decode`) x the examples trained, over the trials' seconds; the ratio of time per MAC
is the runtimes' speed with the architectures' size divided out.
Best accuracy: each side's best validation accuracy (nas: from its store). nas's controller
maximises the file's reward (accuracy with its latency term), Optuna maximises accuracy.

Needs /usr/bin/python3 with Debian's python3-torch and python3-optuna (apt-get install
python3-optuna; not in .ci/setup-test: no test needs it); exit 77 (skip) without them or the data.
Usage: /usr/bin/python3 search_vs_optuna.py NASRUN [--space FILE.nas] [--trials 40] [--rounds 20]
                                             [--samplers random,tpe] [--seed 7] [--keep DIR] [--no-design]
Quick: --rounds 2 --trials 8. The nasc beside NASRUN does the table and the IDs."""
import argparse, importlib.util, json, math, os, re, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPACE = os.path.join(HERE, "..", "..", "examples", "fashion_mnist.nas")
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# ---- the file's stage-1 proxy task ----

def recipe(space_text):
    """The first search block's training settings, or SystemExit naming what is not supported."""
    m = re.search(r"^search\s+\w+\s*\{(.*?)^\}", space_text, flags=re.M | re.S)
    if not m:
        sys.exit("search_vs_optuna: the file has no `search` block")
    body = re.sub(r"//[^\n]*", "", m.group(1))

    def setting(name, default=None):
        s = re.search(r"^\s*%s\s+(.+?)\s*$" % name, body, flags=re.M)
        return s.group(1) if s else default

    def args(text, kind):
        inner = re.fullmatch(r"%s\s*(?:\((.*)\))?" % kind, text.strip())
        out = {}
        for part in filter(None, [p.strip() for p in (inner.group(1) or "").split(",")]) if inner else []:
            k, _, v = part.partition("=")
            v = (v or k).strip()
            out[k.strip() if part.count("=") else "lr"] = {"true": 1.0, "false": 0.0}.get(v) if v in ("true", "false") else float(v)
        return inner is not None, out

    data = re.fullmatch(r"(\w+)\.train\s+split\s+([\d.]+)%\s*/\s*([\d.]+)%", setting("data", ""))
    if not data:
        sys.exit("search_vs_optuna: the search's data must be `D.train split a% / b%`")
    r = {"dataset": data.group(1), "train_fraction": float(data.group(2)) / 100,
         "epochs": int(setting("epochs", "1")), "batch": int(setting("batch", "64"))}
    opt = setting("optimizer", "sgd(lr = 0.01)")
    for kind in ("sgd", "adam"):
        ok, a = args(opt, kind)
        if ok:
            r["optimizer"] = dict(kind=kind, **a)
    sched = setting("schedule", "constant")
    ok, a = args(sched, "cosine")
    if ok:
        r["schedule"] = {"kind": "cosine", "warmup": int(a.get("warmup", 0)), "min_lr": a.get("min_lr", 0.0)}
    elif sched.strip() == "constant":
        r["schedule"] = {"kind": "constant", "warmup": 0, "min_lr": 0.0}
    if "optimizer" not in r or "schedule" not in r:
        sys.exit("search_vs_optuna: optimizer `%s` / schedule `%s`: only sgd|adam and constant|cosine are "
                 "reproduced" % (opt, sched))
    for unsupported in ("augment", "label_smoothing", "clip_norm", "prune", "precision"):
        if setting(unsupported):
            sys.exit("search_vs_optuna: the search sets `%s`, which the PyTorch side does not reproduce" % unsupported)
    ds = re.search(r"^dataset\s+%s\s*\{(.*?)\}" % r["dataset"], space_text, flags=re.M | re.S)
    path = re.search(r'^\s*path\s+"([^"]+)"', ds.group(1), flags=re.M) if ds else None
    if not ds or not re.search(r"^\s*format\s+idx\b", ds.group(1), flags=re.M) or not path:
        sys.exit("search_vs_optuna: dataset %s must be an IDX directory (format idx, path)" % r["dataset"])
    r["data_dir"] = path.group(1)
    return r


def proxy_count(ntrain, rc):
    """The examples a proxy on share `subset` of the split trains on: runtime/pipeline/run.c's rounding."""
    sub = rc.get("subset", 1.0)
    return int(sub * ntrain + 0.5) if 0 < sub < 1 else ntrain


def run_design(ctx):
    """nas's proxy-task design, once: the chosen candidate's (epochs, data share) and the wall time."""
    cmd = [ctx["nasrun"], ctx["space"], "--stage", "design", "--threads", "1", "--time-limit", "1000h",
           "--store", ctx["store"]]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    chosen = [l for l in p.stdout.splitlines() if l.endswith("<- chosen")]
    m = re.match(r"\s*(\d+)\s+([\d.]+)%(?:\s+(\d+)x(\d+)\s)?", chosen[0]) if chosen else None
    if p.returncode or not m:
        sys.exit("search_vs_optuna: %s: exit %d, no chosen proxy\n%s%s" % (" ".join(cmd), p.returncode, p.stdout,
                                                                         p.stderr[-3000:]))
    if m.group(3) and [int(m.group(3)), int(m.group(4))] != [int(v) for v in re.findall(r"\d+", ctx["input"])][-2:]:
        sys.exit("search_vs_optuna: the design chose images at %sx%s, a proxy the PyTorch side does not reproduce "
                 "(--no-design drops the design)" % (m.group(3), m.group(4)))
    # the width column, when the header has one, follows epochs, data and the resolution
    head = [l for l in p.stdout.splitlines() if "kendall" in l]
    if head and " width " in head[0]:
        width = float(chosen[0].split()[3 if m.group(3) else 2])
        if width != 1:
            sys.exit("search_vs_optuna: the design chose width %g, a proxy the PyTorch side does not reproduce "
                     "(--no-design drops the design)" % width)
    return int(m.group(1)), float(m.group(2)) / 100, wall, p.stdout


def lr_at(rc, step, total):
    """nas's runtime/train/schedule.c."""
    lr, s = rc["optimizer"]["lr"], rc["schedule"]
    if step < s["warmup"]:
        return lr * (step + 1) / s["warmup"]
    if s["kind"] == "constant":
        return lr
    span = total - s["warmup"]
    t = min((step - s["warmup"]) / span, 1.0) if span > 0 else 1.0
    return s["min_lr"] + (lr - s["min_lr"]) * 0.5 * (1 + math.cos(math.pi * t))


# ---- the Optuna side ----

def suggest(trial, table):
    """The decisions of one architecture, Optuna's define-by-run over nasc's table: name=value text."""
    slot, items = {}, []
    for d in table["decisions"]:
        if d["parent"] is not None:
            p = slot.get(d["parent"])
            if p is None or not any(lo <= p <= hi for lo, hi in d["when"]):
                continue
        name, kind = d["name"], d["kind"]
        if kind == "categorical":
            texts = [v if isinstance(v, str) else json.dumps(v) for v in d["values"]]
            v = trial.suggest_categorical(name, texts)
            slot[d["index"]] = texts.index(v)
        elif kind == "int_range":
            v = trial.suggest_int(name, d["lo"], d["hi"], step=d["step"])
            slot[d["index"]] = (v - d["lo"]) // d["step"]
        elif kind == "bool":
            v = trial.suggest_categorical(name, ["false", "true"])
            slot[d["index"]] = int(v == "true")
        elif kind == "float_range" and not d.get("log") and d.get("step"):
            v = trial.suggest_float(name, d["lo"], d["hi"], step=d["step"])
            slot[d["index"]] = round((v - d["lo"]) / d["step"])
        else:
            raise SystemExit("search_vs_optuna: decision %s (%s) has no Optuna form here" % (name, kind))
        items.append("%s=%s" % (name, v))
    return ", ".join(items)


def load_idx(data_dir):
    import gzip
    import numpy as np
    with gzip.open(os.path.join(data_dir, "train-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16)
    with gzip.open(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x.reshape(len(y), -1).astype(np.float32) / 255.0, y.astype(np.int64)


def idx_count(data_dir):
    import gzip
    with gzip.open(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")) as f:
        return int.from_bytes(f.read(8)[4:], "big")


def train_module(net, rc, x, y, idx_train, idx_val, seed):
    """One trial of the proxy task with the PyTorch module; the validation accuracy."""
    import torch
    torch.manual_seed(seed)
    o = rc["optimizer"]
    if o["kind"] == "sgd":
        opt = torch.optim.SGD(net.parameters(), lr=o["lr"], momentum=o.get("momentum", 0.0),
                              weight_decay=o.get("weight_decay", 0.0), nesterov=bool(o.get("nesterov", 0)))
    else:
        opt = torch.optim.Adam(net.parameters(), lr=o["lr"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                               eps=o.get("eps", 1e-8), weight_decay=o.get("weight_decay", 0.0))
    lossf = torch.nn.CrossEntropyLoss()
    B = rc["batch"]
    spe = len(idx_train) // B
    total, step = spe * rc["epochs"], 0
    g = torch.Generator().manual_seed(seed)
    net.train()
    for _ in range(rc["epochs"]):
        perm = idx_train[torch.randperm(len(idx_train), generator=g)]
        for i in range(spe):
            b = perm[i * B:(i + 1) * B]
            for group in opt.param_groups:
                group["lr"] = lr_at(rc, step, total)
            opt.zero_grad()
            loss = lossf(net(x[b]), y[b])
            loss.backward()
            opt.step()
            step += 1
    net.eval()
    with torch.no_grad():
        correct = sum((net(x[idx_val[i:i + 1000]]).argmax(1) == y[idx_val[i:i + 1000]]).sum().item()
                      for i in range(0, len(idx_val), 1000))
    return correct / len(idx_val)


def worker(a):
    """One of the two processes of an Optuna round: a.n trials of the shared study."""
    import numpy as np
    import warnings
    import optuna
    import torch
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    rc, table = json.load(open(a.recipe)), json.load(open(a.table))
    xs, ys = load_idx(rc["data_dir"])
    shape = [int(v) for v in re.findall(r"\d+", rc["input"])]
    x = torch.from_numpy(xs).reshape([len(ys)] + shape)
    y = torch.from_numpy(ys)
    perm = torch.from_numpy(np.random.default_rng(0).permutation(len(ys)))
    ntrain = int(round(len(ys) * rc["train_fraction"]))   # the examples counted in main()
    idx_train, idx_val = perm[:ntrain], perm[ntrain:]
    idx_train = idx_train[:proxy_count(ntrain, rc)]
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(a.journal))
    sampler = (optuna.samplers.TPESampler(seed=a.seed, constant_liar=True) if a.sampler == "tpe"
               else optuna.samplers.RandomSampler(seed=a.seed))
    study = optuna.load_study(study_name="peer", storage=storage, sampler=sampler)
    workdir = tempfile.mkdtemp(prefix="optuna-peer-")
    sys.path.insert(0, workdir)

    def objective(trial):
        t0 = time.perf_counter()
        decisions = suggest(trial, table)
        arch = subprocess.run([a.nasc, "--encode", decisions, a.space], capture_output=True, text=True,
                              check=True).stdout.strip()
        mod_name = "a_%s_%d" % (arch, trial.number)
        path = os.path.join(workdir, mod_name + ".py")
        subprocess.run([a.nasrun, a.space, "--export-arch", arch, path, "--quiet"], check=True)
        spec = importlib.util.spec_from_file_location(mod_name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        acc = train_module(mod.Net(), rc, x, y, idx_train, idx_val, a.seed * 1000 + trial.number)
        trial.set_user_attr("arch", arch)
        trial.set_user_attr("seconds", time.perf_counter() - t0)
        return acc

    study.optimize(objective, n_trials=a.n)
    shutil.rmtree(workdir, ignore_errors=True)


def optuna_round(ctx, sampler, n, rnd):
    journal = os.path.join(ctx["dir"], "optuna-%s.journal" % sampler)
    before = len(study_trials(journal))
    t0 = time.perf_counter()
    procs = []
    for w in range(2):   # 2 trials at a time, like nasrun --parallel 2
        share = n // 2 + (w < n % 2)
        if not share:
            continue
        cmd = [sys.executable, os.path.abspath(__file__), "worker", "--journal", journal, "--sampler", sampler,
               "--n", str(share), "--seed", str(ctx["seed"] * 100000 + rnd * 2 + w), "--nasc", ctx["nasc"],
               "--nasrun", ctx["nasrun"], "--space", ctx["space"], "--recipe", ctx["recipe"], "--table", ctx["table"]]
        procs.append(subprocess.Popen(cmd, env=dict(os.environ, **THREAD_ENV)))
    try:
        failed = any([p.wait() for p in procs])
    except KeyboardInterrupt:
        for p in procs:
            p.kill()
        raise
    if failed:
        sys.exit("search_vs_optuna: an Optuna worker failed")
    wall = time.perf_counter() - t0
    new = study_trials(journal)[before:]
    return {"wall": wall, "trials": len(new), "trained": len(new), "archs": [t.user_attrs["arch"] for t in new],
            "trial_seconds": [t.user_attrs["seconds"] for t in new], "acc": [t.value for t in new]}


def study_trials(journal):
    import optuna
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
    study = optuna.load_study(study_name="peer", storage=storage)
    return [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]


# ---- the nas side ----

def nas_trials(store):
    if not os.path.exists(store):
        return []
    con = sqlite3.connect(store)
    rows = con.execute("SELECT t.seq, t.state, t.metrics, t.started, t.finished, t.arch_id FROM trial t WHERE t.stage = 1 AND "
                       "t.experiment = (SELECT max(id) FROM experiment) AND t.state IN (1, 2, 4) ORDER BY t.seq").fetchall()
    con.close()
    return rows


def nas_round(ctx, upto):
    before = {r[0] for r in nas_trials(ctx["store"])}
    cmd = [ctx["nasrun"], ctx["space"], "--stage", "1", "--trials", str(upto), "--parallel", "2", "--threads", "1",
           "--time-limit", "1000h", "--store", ctx["store"], "--quiet"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode:
        sys.exit("search_vs_optuna: %s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr[-3000:]))
    new = [r for r in nas_trials(ctx["store"]) if r[0] not in before]
    trained = [r for r in new if r[1] != 4]   # 4: cached, a repeat answered from the store
    return {"wall": wall, "trials": len(new), "trained": len(trained), "command": " ".join(cmd),
            "archs": [r[5] for r in trained if r[3] and r[4]],
            "trial_seconds": [r[4] - r[3] for r in trained if r[3] and r[4]],
            "acc": [json.loads(r[2]).get("accuracy") for r in new if r[2]]}


# ---- the run ----

def macs(ctx, arch):
    """The architecture's multiply-adds, as `nasc --decode` counts them (the same count for both sides)."""
    if arch not in ctx["macs"]:
        out = subprocess.run([ctx["nasc"], "--decode", arch, ctx["space"]], capture_output=True, text=True,
                             check=True).stdout
        ctx["macs"][arch] = int(re.search(r"MACs (\d+)", out).group(1))
    return ctx["macs"][arch]


def gmacs_per_s(ctx, res):
    """A round's training speed in 10^9 multiply-adds a second: 3 x the forward MACs (forward and
    backward) x the examples trained, over the trials' seconds. The trials of a round train
    different architectures; this is their cost with the size divided out."""
    work = sum(3 * macs(ctx, a) * ctx["examples"] for a in res["archs"])
    return work / 1e9 / sum(res["trial_seconds"]) if work and res["trial_seconds"] else None


def summary(values):
    return "%.2f (%.2f..%.2f)" % (statistics.median(values), min(values), max(values)) if values else "-"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        w = argparse.ArgumentParser()
        for opt in ("journal", "sampler", "nasc", "nasrun", "space", "recipe", "table"):
            w.add_argument("--" + opt)
        w.add_argument("--n", type=int)
        w.add_argument("--seed", type=int)
        return worker(w.parse_args(sys.argv[2:]))
    p = argparse.ArgumentParser()
    p.add_argument("nasrun")
    p.add_argument("--space", default=DEFAULT_SPACE)
    p.add_argument("--trials", type=int, default=40)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--samplers", default="random,tpe")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--keep", help="keep the stores and studies in this directory")
    p.add_argument("--no-design", action="store_true", help="drop the file's proxy design: the search's own proxy")
    a = p.parse_args()
    try:
        import warnings
        import optuna
        import torch  # noqa: F401
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    except ImportError as e:
        print("search_vs_optuna: %s for %s - SKIP (apt-get install python3-torch python3-optuna)" % (e, sys.executable))
        return 77
    text = open(a.space).read()
    rc = recipe(text)
    inp = re.search(r"^\s*input\s+(\[[\d,\s]+\])", text, flags=re.M)
    rc["input"] = inp.group(1) if inp else "[784]"
    if not os.path.exists(os.path.join(rc["data_dir"], "train-images-idx3-ubyte.gz")):
        print("search_vs_optuna: no data in %s - SKIP" % rc["data_dir"])
        return 77
    nasc = os.path.join(os.path.dirname(os.path.abspath(a.nasrun)), "nasc")
    d = a.keep or tempfile.mkdtemp(prefix="peer-bench-")
    os.makedirs(d, exist_ok=True)
    space = os.path.join(d, os.path.basename(a.space))   # a copy: the store and report go beside it
    design = re.search(r"^proxy\s+\w+\s*\{[^}]*\}\n", text, flags=re.M)
    if design and a.no_design:
        text = text[:design.start()] + text[design.end():]
        design = None
    open(space, "w").write(text)
    table = subprocess.run([nasc, "--emit=space", space], capture_output=True, text=True, check=True).stdout
    ctx = {"dir": d, "nasc": nasc, "nasrun": os.path.abspath(a.nasrun), "space": space, "seed": a.seed,
           "input": rc["input"],
           "store": os.path.join(d, "nas.nasdb"), "recipe": os.path.join(d, "recipe.json"),
           "table": os.path.join(d, "space.json"), "macs": {}}
    if design:
        rc["epochs"], rc["subset"], design_wall, design_out = run_design(ctx)
        print(design_out, end="")
        print("nas proxy design: %.0f s, before the rounds and not in their times; both sides train under its "
              "choice\n" % design_wall, flush=True)
    ctx["examples"] = (rc["epochs"] * (proxy_count(int(round(idx_count(rc["data_dir"]) * rc["train_fraction"])), rc)
                                       // rc["batch"]) * rc["batch"])
    open(ctx["table"], "w").write(table)
    json.dump(rc, open(ctx["recipe"], "w"))
    samplers = a.samplers.split(",")
    for s in samplers:
        optuna.create_study(study_name="peer", direction="maximize", storage=optuna.storages.JournalStorage(
            optuna.storages.JournalFileStorage(os.path.join(d, "optuna-%s.journal" % s))))
    sides = ["nas"] + ["optuna-" + s for s in samplers]
    per = max(1, a.trials // a.rounds)
    print("space %s (%s architectures), %d trials per side in %d rounds of %d, 2 at a time x 1 thread" %
          (a.space, json.loads(table)["size"], per * a.rounds, a.rounds, per))
    print("proxy: %s" % json.dumps({k: rc[k] for k in ("train_fraction", "subset", "epochs", "batch", "optimizer",
                                                       "schedule") if k in rc}))
    print("load average at start: %.1f (other jobs on the machine slow every side alike)" % os.getloadavg()[0],
          flush=True)
    results = {s: [] for s in sides}
    t_start = time.time()
    # SIGTERM or ^C: the summary of the rounds every side finished (a round cut short is dropped)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    done = 0
    try:
        for r in range(a.rounds):
            order = sides[r % len(sides):] + sides[:r % len(sides)]
            for side in order:
                res = (nas_round(ctx, per * (r + 1)) if side == "nas"
                       else optuna_round(ctx, side[len("optuna-"):], per, r))
                results[side].append(res)
                mean = statistics.mean(res["trial_seconds"]) if res["trial_seconds"] else float("nan")
                print("round %2d %-14s %2d trials (%d trained) wall %6.1f s  %.1f s a trained trial  best acc %.4f"
                      % (r + 1, side, res["trials"], res["trained"], res["wall"], mean,
                         max([x for x in res["acc"] if x is not None], default=float("nan"))), flush=True)
            done = r + 1
    except KeyboardInterrupt:
        print("\nstopped: the summary is of the %d rounds every side finished" % done)
        for side in sides:
            del results[side][done:]
    if not done:
        return 1
    print("\n%d rounds: %.0f s; load average at the end: %.1f" % (done, time.time() - t_start, os.getloadavg()[0]))
    print("nas command per round: %s" % results["nas"][-1]["command"])
    print("\n| side | trials (trained) | s a trained trial (median of rounds) | training GMAC/s | total wall s | "
          "best val accuracy |")
    print("|---|---|---|---|---|---|")
    for side in sides:
        rs = results[side]
        secs = [statistics.mean(x["trial_seconds"]) for x in rs if x["trial_seconds"]]
        acc = [x for res in rs for x in res["acc"] if x is not None]
        gm = [v for v in (gmacs_per_s(ctx, x) for x in rs) if v]
        print("| %s | %d (%d) | %s | %s | %.0f | %.4f |" % (
            side, sum(x["trials"] for x in rs), sum(x["trained"] for x in rs), summary(secs), summary(gm),
            sum(x["wall"] for x in rs), max(acc, default=0)))
    print("\n| nas / peer, per round | s a trained trial | s per training MAC | round wall time per trial |")
    print("|---|---|---|---|")
    for side in sides[1:]:
        trial_ratio = [statistics.mean(n["trial_seconds"]) / statistics.mean(o["trial_seconds"])
                       for n, o in zip(results["nas"], results[side]) if n["trial_seconds"] and o["trial_seconds"]]
        wall_ratio = [n["wall"] / n["trials"] / (o["wall"] / o["trials"])
                      for n, o in zip(results["nas"], results[side]) if n["trials"] and o["trials"]]
        gmac_ratio = [o / n for n, o in ((gmacs_per_s(ctx, n), gmacs_per_s(ctx, o))
                                         for n, o in zip(results["nas"], results[side])) if n and o]
        print("| nas / %s | %s | %s | %s |" % (side, summary(trial_ratio), summary(gmac_ratio), summary(wall_ratio)))
    print("(median (min..max) over the %d rounds; < 1: nas is faster)" % done)
    if not a.keep:
        shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
