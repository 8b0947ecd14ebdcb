#!/usr/bin/python3
"""nk_oracle.py — how far a search that is told nk's generative model gets in 100 trials.

bo, like every controller, must learn which decisions interact. This bench-only searcher is
given what no controller can know: nk's exact structure (the reward is the mean of 10 tables,
table i reading decisions i, i+1 and i+2 cyclically), the tables' prior (entries uniform on
[0, 1], so each weight has mean 0.05 and variance 1/1200 as a term of the mean) and the noise
sd. It keeps the exact Gaussian posterior over the 640 table weights (Bayesian linear
regression on one-hot window features, drawn by Matheron's rule in the results' dual form) and
proposes by Thompson sampling: a draw of the weights, its deviation from the posterior mean
multiplied by `scale` (1: plain Thompson sampling; below 1 it explores less), maximised exactly
by dynamic programming around the cycle (a proposal already evaluated: another draw, then a
uniform fresh one). Its figure is a reference for what knowing the structure is worth at this
budget, not a bound: another policy could do better.

Its landscapes are controller_bench's, read from `controller_bench --dump nk FILE` (every
dumped check reward and every optimum is recomputed here and must match), its noise its own
stream. Printed as controller_bench prints, one row per scale: the best true reward among the
first 50 / 100 / 200 proposals, mean and standard error over the seeds, and the gap closed at
100 against evolution(16, 4)'s 0.7701 (docs/controllers.md, 100 seeds; --evolution for another).

Usage: /usr/bin/python3 tests/bench/nk_oracle.py build/tests/bench/controller_bench
           [--seeds N] [--scales 1,0.7,0.5,0.3]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

N, A = 10, 4
CELLS = A ** 3
BUDGETS = (50, 100, 200)


def windows(a):
    """The cell of each table an architecture reads: shape (N,) of indices into 0..63."""
    a = np.asarray(a)
    return a * A * A + np.roll(a, -1) * A + np.roll(a, -2)


def best_of_draw(w):
    """argmax over all 4^10 architectures of sum_i w[i][a_i, a_i+1, a_i+2] (cyclic), exactly:
    fix (a0, a1), then a chain over states (a_j-1, a_j), closing with the two wrapping tables."""
    w = w.reshape(N, A, A, A)
    best, best_a = -np.inf, None
    for a0 in range(A):
        for a1 in range(A):
            v = np.full((A, A), -np.inf)  # state (a_j-1, a_j) -> best sum of tables 0..j-2
            v[a0, a1] = 0.0
            back = []
            for j in range(2, N):  # choose a_j, adding table j-2 (a_j-2, a_j-1, a_j)
                cand = v[:, :, None] + w[j - 2]  # (p, q, r)
                arg = cand.argmax(axis=0)  # best p for each (q, r)
                v = cand.max(axis=0)
                back.append(arg)
            # close the cycle: table 8 (a8, a9, a0) and table 9 (a9, a0, a1)
            total = v + w[N - 2][:, :, a0] + w[N - 1][:, a0, a1][None, :]
            q, r = np.unravel_index(total.argmax(), total.shape)
            if total[q, r] > best:
                a = [0] * N
                a[0], a[1], a[N - 2], a[N - 1] = a0, a1, int(q), int(r)
                for j in range(N - 1, 2, -1):  # back[j-2] gives a_j-2 from (a_j-1, a_j)
                    a[j - 2] = int(back[j - 2][a[j - 1], a[j]])
                best, best_a = total[q, r], a
    return best_a


def run(tables, noise, rng, trials, scale):
    truth = lambda a: tables[np.arange(N), windows(a)].mean()
    # weights w = tables / N: prior mean 0.05 and variance var0 each; f(a) = sum of a's 10 cells.
    m0, var0, dim = 0.5 / N, 1.0 / (12.0 * N * N), N * CELLS
    cols = np.zeros((trials, N), dtype=int)  # each result's 10 feature indices
    y = np.zeros(trials)
    seen, best, out = set(), -np.inf, []
    for t in range(trials):
        if t:
            X = cols[:t]
            # K = var0 * (shared cells); the posterior over w in its dual (kernel) form
            K = var0 * (X[:, None, :] == X[None, :, :]).sum(axis=2) + noise * noise * np.eye(t)
            L = np.linalg.cholesky(K)
            solve = lambda r: np.linalg.solve(L.T, np.linalg.solve(L, r))
            mean = np.full(dim, m0)
            np.add.at(mean, X.ravel(), np.repeat(var0 * solve(y[:t] - N * m0), N))
        a = None
        for _ in range(5):
            if t == 0:
                draw = m0 + np.sqrt(var0) * rng.standard_normal(dim)
            else:  # Matheron's rule: a prior draw corrected by the residual of noisy data it implies
                w0 = m0 + np.sqrt(var0) * rng.standard_normal(dim)
                r = y[:t] - w0[X].sum(axis=1) - noise * rng.standard_normal(t)
                draw = w0.copy()
                np.add.at(draw, X.ravel(), np.repeat(var0 * solve(r), N))
                draw = mean + scale * (draw - mean)
            c = best_of_draw(draw)
            if tuple(c) not in seen:
                a = c
                break
        while a is None or tuple(a) in seen:
            a = [int(x) for x in rng.integers(0, A, N)]
        seen.add(tuple(a))
        f = truth(a)
        best = max(best, f)
        out.append(best)
        cols[t] = np.arange(N) * CELLS + windows(a)
        y[t] = f + noise * rng.standard_normal()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench")
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--evolution", type=float, default=0.7701)
    ap.add_argument("--scales", default="1,0.7,0.5,0.3")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "nk.json")
        subprocess.run([args.bench, "--dump", "nk", path, "--seeds", str(args.seeds)], check=True)
        with open(path) as f:
            dumped = json.load(f)["seeds"]
    optima = []
    for s in dumped:
        # the dump's tables are 640 numbers, table i's cell a_i*16 + a_i+1*4 + a_i+2 (tables x1/N)
        tables = np.array(s["nk"]).reshape(N, CELLS)
        for a, f in s["checks"]:
            got = tables[np.arange(N), windows(a)].mean()
            if abs(got - f) > 1e-12:
                sys.exit(f"nk_oracle: seed {s['seed']}: reward {got} of {a} != controller_bench's {f}")
        exact = tables[np.arange(N), windows(best_of_draw(tables / N))].mean()
        if abs(exact - s["optimum"]) > 1e-12:
            sys.exit(f"nk_oracle: seed {s['seed']}: optimum {exact} != controller_bench's {s['optimum']}")
        optima.append(s["optimum"])
    opt = float(np.mean(optima))
    print(f"nk (optimum {opt:.4f}), {len(dumped)} seeds | 50 | 100 | 200 | gap closed at 100")
    for scale in [float(x) for x in args.scales.split(",")]:
        rows = []
        for s in dumped:
            tables = np.array(s["nk"]).reshape(N, CELLS)
            curve = run(tables, s["noise"], np.random.default_rng(s["seed"]), max(BUDGETS), scale)
            rows.append([curve[b - 1] for b in BUDGETS])
        rows = np.array(rows)
        se = rows.std(axis=0, ddof=1) / np.sqrt(len(rows))
        cells = [f"{rows[:, k].mean():.4f} +- {se[k]:.4f}" for k in range(len(BUDGETS))]
        gap = (rows[:, 1].mean() - args.evolution) / (opt - args.evolution)
        print(f"thompson, true model, scale {scale:g} | {' | '.join(cells)} | {gap:+.2f}", flush=True)


if __name__ == "__main__":
    main()
