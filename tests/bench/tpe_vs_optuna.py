#!/usr/bin/python3
"""tpe_vs_optuna.py — nas's TPE beside Optuna's TPESampler on controller_bench's landscapes.

The landscapes come from `controller_bench --dump SPACE FILE --seeds N` (the generation
parameters of seeds 1..N); this file computes the same rewards and first proves it on the 50
architectures per seed the dump carries with their C rewards (to 1e-12). Per seed: one Optuna
study (TPESampler(seed=seed), in-memory) of 200 trials, each told the true reward plus Gaussian
noise of the space's sd (controller_bench's noise model), and the best TRUE reward among the
first 50, 100 and 200 trials (every trial counts, repeats too). Optuna's samplers: the default
TPESampler, and multivariate=True (on the conditional space, cell, multivariate=True,
group=True). nas's rows are controller_bench's own on the same seeds (`--only tpe`,
`--only tpe(multivariate)`).

The cell space in Optuna: depth suggest_int 1..4; layer i's op (categorical of 5) and width
(suggest_int 16..128 step 16) only for i < depth; skip categorical (False, True); lr
suggest_float 1e-4..1e-1 log, mapped to nas's grid of 2^20 points on the log scale.

Usage: /usr/bin/python3 tpe_vs_optuna.py PATH/TO/controller_bench [--seeds N] [--space S]
       [--jobs J]   (J processes; the default 1)
Debian: apt-get install python3-optuna (Optuna 3.1).
"""
import argparse
import json
import math
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import warnings

try:
    import optuna
except ImportError:   # Debian: apt-get install python3-optuna
    print("optuna is not installed for", sys.executable, "- SKIP")
    sys.exit(77)

BUDGETS = (50, 100, 200)
MASK = (1 << 64) - 1

# ---- the rewards, as controller_bench.c computes them ----

NK_N, NK_A = 10, 4


def nk_reward(L, a):
    t = L["nk"]
    f = 0.0
    for i in range(NK_N):
        f += t[i * 64 + a[i] * 16 + a[(i + 1) % NK_N] * 4 + a[(i + 2) % NK_N]]
    return f / NK_N


CELL_L, CELL_OPS, CELL_W = 4, 5, 8
C_SKIP, C_LR = 1 + 2 * CELL_L, 2 + 2 * CELL_L


def cell_reward(L, a, fine):
    depth = a[0] + 1
    x = a[C_LR] / (fine - 1) - L["lr_opt"]
    r = 0.6 + L["depth_t"][depth] + -0.2 * x * x
    for i in range(depth):
        op, w = a[1 + 2 * i], a[2 + 2 * i]
        dw = (w - L["wopt"][op]) / (CELL_W - 1)
        r += L["op_q"][i * CELL_OPS + op] - 0.04 * dw * dw
        if i > 0:
            r += L["pair"][a[1 + 2 * (i - 1)] * CELL_OPS + op]
    if a[C_SKIP]:
        r += 0.02 if depth >= 3 else -0.01
    return r


TB_PATHS = ((3,), (0, 4), (1, 5), (0, 2, 5))


def table_reward(L, a):
    tq, tw = L["tq"], L["tw"]
    cap, alive, deep_skip = 0.0, False, False
    for p, path in enumerate(TB_PATHS):
        c, convs, skips, ok = 0.0, 0, 0, True
        for e in path:
            op = a[e]
            ok = ok and op != 0
            c += tq[e * 5 + op]
            convs += op in (2, 3)
            skips += op == 1
        if not ok:
            continue
        alive = True
        cap += tw[p] * c
        deep_skip = deep_skip or (skips > 0 and convs >= 2)
    if not alive:
        return 0.1
    h = L["tseed"]
    for e in range(6):
        h = ((h ^ a[e]) * 0x100000001b3) & MASK
    h ^= h >> 29
    h = (h * 0xbf58476d1ce4e5b9) & MASK
    h ^= h >> 32
    idio = 0.006 * ((h >> 11) * 2.0 ** -53 - 0.5)
    return 0.5 + 0.4 * (1 - math.exp(-cap)) + (0.02 if deep_skip else 0) + idio


def reward(space, L, a, fine):
    if space == "nk":
        return nk_reward(L, a)
    if space == "cell":
        return cell_reward(L, a, fine)
    return table_reward(L, a)


# ---- the spaces in Optuna: a trial's parameters to nas's decision table ----

def suggest(space, trial, fine):
    if space == "nk":
        return [trial.suggest_categorical("op%d" % i, list(range(NK_A))) for i in range(NK_N)]
    if space == "table":
        return [trial.suggest_categorical("edge%d" % e, list(range(5))) for e in range(6)]
    a = [-1] * (C_LR + 1)
    depth = trial.suggest_int("depth", 1, CELL_L)
    a[0] = depth - 1
    for i in range(depth):
        a[1 + 2 * i] = trial.suggest_categorical("layer%d.op" % i, list(range(CELL_OPS)))
        a[2 + 2 * i] = (trial.suggest_int("layer%d.width" % i, 16, 16 * CELL_W, step=16) - 16) // 16
    a[C_SKIP] = 1 if trial.suggest_categorical("skip", [False, True]) else 0
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    x = (math.log(lr) - math.log(1e-4)) / (math.log(1e-1) - math.log(1e-4))
    a[C_LR] = min(fine - 1, max(0, round(x * (fine - 1))))
    return a


# Optuna 3.1 spends half of a trial in CategoricalDistribution.to_internal_repr (a linear
# search comparing each choice with NaN checks, for every stored trial at every suggest). The
# same map, value -> index of the choice, from a dictionary: the samplers are untouched and
# sample exactly as before (the choices here are ints and bools, hashable and distinct).
_INDEX = {}


def _to_internal_repr(self, value):
    index = _INDEX.get(self.choices)
    if index is None:
        index = _INDEX[self.choices] = {c: i for i, c in enumerate(self.choices)}
    return index[value]


optuna.distributions.CategoricalDistribution.to_internal_repr = _to_internal_repr

SAMPLERS = {
    "default": dict(),
    "multivariate": dict(multivariate=True),
    "multivariate+group": dict(multivariate=True, group=True),
}


def one_run(job):
    space, L, fine, sampler = job
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    seed = L["seed"]
    noise = random.Random(seed * 1000003 + 17)
    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed, **SAMPLERS[sampler]))
    best, trace = -math.inf, []

    def objective(trial):
        nonlocal best
        f = reward(space, L, suggest(space, trial, fine), fine)
        best = max(best, f)
        trace.append(best)
        return f + L["noise"] * noise.gauss(0.0, 1.0)

    study.optimize(objective, n_trials=max(BUDGETS))
    return [trace[b - 1] for b in BUDGETS]


def mean_se(xs):
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, math.sqrt(var / n)


def nas_rows(bench, space, seeds):
    rows = {}
    for only in ("tpe", "tpe(multivariate)"):
        out = subprocess.run([bench, "--seeds", str(seeds), "--space", space, "--only", only],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.match(r"\s+(\S+)\s+((?:\s+[\d.]+ \+- [\d.]+){3})", line)
            if m:
                rows[m.group(1)] = [tuple(map(float, v.split(" +- ")))
                                    for v in re.findall(r"[\d.]+ \+- [\d.]+", m.group(2))]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench")
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--space", help="nk, cell, table or a comma-separated list (default all)")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    print("optuna", optuna.__version__, "- seeds 1..%d; best TRUE reward found, mean +- s.e." % args.seeds)
    for space in args.space.split(",") if args.space else ("nk", "cell", "table"):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, space + ".json")
            subprocess.run([args.bench, "--dump", space, path, "--seeds", str(args.seeds)], check=True)
            with open(path) as f:
                d = json.load(f)
        fine = d["fine_points"]
        for L in d["seeds"]:
            for a, r in L["checks"]:
                mine = reward(space, L, a, fine)
                if abs(mine - r) > 1e-12:
                    sys.exit("tpe_vs_optuna: %s seed %d: reward %r != controller_bench's %r for %r"
                             % (space, L["seed"], mine, r, a))
        # the conditional space: multivariate with group (without it Optuna's multivariate TPE
        # falls back to independent sampling for the parameters not in every trial)
        samplers = ["default", "multivariate+group" if space == "cell" else "multivariate"]
        opt = sum(L["optimum"] for L in d["seeds"]) / len(d["seeds"])
        print("\nspace %s (mean optimum %.4f; rewards checked equal on %d architectures)"
              % (space, opt, sum(len(L["checks"]) for L in d["seeds"])))
        print("  %-32s %18s %18s %18s" % ("controller", "50 trials", "100 trials", "200 trials"))
        for name, cells in nas_rows(args.bench, space, args.seeds).items():
            label = {"tpe": "nas tpe", "tpe(multivariate)": "nas tpe(multivariate)"}.get(name, "nas " + name)
            print("  %-32s" % label + "".join("   %.4f +- %.4f" % c for c in cells))
        for sampler in samplers:
            jobs = [(space, L, fine, sampler) for L in d["seeds"]]
            if args.jobs > 1:
                with multiprocessing.Pool(args.jobs) as pool:
                    res = pool.map(one_run, jobs)
            else:
                res = [one_run(j) for j in jobs]
            cells = [mean_se([r[b] for r in res]) for b in range(len(BUDGETS))]
            print("  %-32s" % ("optuna TPESampler " + sampler) + "".join("   %.4f +- %.4f" % c for c in cells),
                  flush=True)


if __name__ == "__main__":
    main()
