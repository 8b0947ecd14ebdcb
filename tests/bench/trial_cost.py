#!/usr/bin/env python3
"""trial_cost.py — what one proxy trial of examples/fashion_mnist.nas costs, and whether its
latency metric ranks architectures the same way twice. Not a timed test: a benchmark to rerun
(docs/runtime.md, "Cost per trial").

  cost:    alternating rounds of `nasrun P.nas --train-one ID --epochs 1` (one proxy trial, in
           this process) with binary A, then B (the side that goes first alternates), for each
           architecture: wall and CPU seconds per trial, and the medians of the per-round
           ratios A/B (wall, CPU) and B/A (training images/s).
  latency: the example's stage 1 with `algorithm random` (the architectures do not depend on
           the rewards, so two runs train the same ones), `parallel 2`, run twice into fresh
           stores with each binary (the MNasNet term latency <= 300us soft(weight = -0.07) added
           when the example has none): every architecture's latency in both runs, their relative
           spread, and Kendall's tau-b of the MNasNet factor (latency / target)^weight
           between the two runs.

P.nas is the example with its stage 2 removed (so --train-one trains stage 1's proxy task),
optionally on the first --subset training images of Fashion-MNIST (a copy in --work).

  /usr/bin/python3 tests/bench/trial_cost.py cost --a OLD/nasrun --b build/bin/nasrun --rounds 3
  /usr/bin/python3 tests/bench/trial_cost.py latency --a OLD/nasrun --b build/bin/nasrun \\
      --subset 6000 --trials 8
"""
import argparse
import gzip
import json
import os
import re
import resource
import sqlite3
import statistics
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "fashion_mnist.nas")
DATA = "/usr/share/datasets/fashion-mnist"


def subset(work, n):
    """The first n training (and n/6 test) examples of Fashion-MNIST, as IDX gz files."""
    out = os.path.join(work, "fashion-%d" % n)
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(DATA):
        if not f.endswith(".gz") or os.path.exists(os.path.join(out, f)):
            continue
        b = gzip.open(os.path.join(DATA, f)).read()
        nd = b[3]
        dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
        per = 1
        for d in dims[1:]:
            per *= d
        keep = min(dims[0], n if "train" in f else max(n // 6, 1))
        head = b[:4] + keep.to_bytes(4, "big") + b[8:4 + 4 * nd]
        with gzip.open(os.path.join(out, f), "wb", compresslevel=1) as g:
            g.write(head + b[4 + 4 * nd:4 + 4 * nd + keep * per])
    return out


def proxy_file(work, args, controller=None):
    """The example's stage 1 alone (its `train` stage cut), as P.nas in work."""
    src = open(EXAMPLE).read()
    src = src[:src.index("\ntrain ")] + "\n"
    # a proxy design needs the train stage just cut: stage 1 keeps its own proxy task
    src = re.sub(r"\nproxy \w+ \{[^}]*\}\n", "\n", src)
    if args.subset:
        src = src.replace(DATA, subset(work, args.subset))
    if controller:
        src = re.sub(r"algorithm\s+[^\n]+", "algorithm " + controller, src)
        src = re.sub(r"trials\s+\d+", "trials     %d" % args.trials, src)
        src = re.sub(r"\n\s*max_failed[^\n]*", "", src)
        src = re.sub(r"\n\s*stop when[^\n]*", "", src)
        src = re.sub(r"parallel\s+\d+", "parallel   %d" % args.parallel, src)
    path = os.path.join(work, "proxy_%s.nas" % (controller or "one"))
    open(path, "w").write(src)
    return path, src


def kendall_tau_b(x, y):
    n, conc, disc, tx, ty = len(x), 0, 0, 0, 0
    for i in range(n):
        for j in range(i + 1, n):
            a, b = x[i] - x[j], y[i] - y[j]
            if a == 0 and b == 0:
                continue
            if a == 0:
                tx += 1
            elif b == 0:
                ty += 1
            elif (a > 0) == (b > 0):
                conc += 1
            else:
                disc += 1
    d = ((conc + disc + tx) * (conc + disc + ty)) ** 0.5
    return (conc - disc) / d if d else float("nan")


def cost(args, work):
    if not (args.a and args.b):
        sys.exit("cost compares two binaries: --a and --b")
    path, _ = proxy_file(work, args)
    times = {}
    for r in range(args.rounds):
        for arch in args.archs.split(","):
            order = [("a", args.a), ("b", args.b)]
            if (r + len(times)) % 2:
                order.reverse()
            for side, binary in order:
                t0, ru0 = time.time(), resource.getrusage(resource.RUSAGE_CHILDREN)
                p = subprocess.run([binary, path, "--train-one", arch, "--epochs", "1", "--threads",
                                    str(args.threads)], capture_output=True, text=True)
                wall, ru1 = time.time() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime
                m = re.search(r"final: .* ([\d.]+) images/s, JIT ([\d.]+) ms", p.stdout)
                if p.returncode or not m:
                    sys.exit("%s %s failed:\n%s%s" % (binary, arch, p.stdout, p.stderr))
                times.setdefault(arch, []).append((r, side, wall, float(m.group(1)), cpu))
                print("round %d %-8s %s: %.1f s wall, %.1f s CPU, %.0f img/s, JIT %.0f ms" %
                      (r + 1, arch, side, wall, cpu, float(m.group(1)), float(m.group(2))), flush=True)
    for arch, rows in times.items():
        # wall A/B; training images/s B/A; CPU seconds A/B (user + sys: what a loaded machine
        # inflates least, with --threads 1 no barrier spins either)
        ratios, speed, cpus = [], [], []
        for r in range(args.rounds):
            a = [(w, i, c) for (k, s, w, i, c) in rows if k == r and s == "a"]
            b = [(w, i, c) for (k, s, w, i, c) in rows if k == r and s == "b"]
            ratios.append(a[0][0] / b[0][0])
            speed.append(b[0][1] / a[0][1])
            cpus.append(a[0][2] / b[0][2])
        wa = statistics.median(w for (_, s, w, _, _) in rows if s == "a")
        wb = statistics.median(w for (_, s, w, _, _) in rows if s == "b")
        print("%-8s A %.1f s, B %.1f s per trial (medians); A/B median %.2fx (%.2f..%.2f, %d rounds); "
              "training img/s B/A median %.2fx (%.2f..%.2f); CPU s A/B median %.2fx (%.2f..%.2f)" %
              (arch, wa, wb, statistics.median(ratios), min(ratios), max(ratios), args.rounds,
               statistics.median(speed), min(speed), max(speed), statistics.median(cpus), min(cpus), max(cpus)))


def search(binary, path, store):
    """One run of the search into a fresh store (and JIT cache): {arch: latency}, and per
    trial (wall seconds, JIT ms, training seconds)."""
    for f in (store, store + "-wal", store + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    shutil.rmtree(store[:-len(".nasdb")] + ".jit", ignore_errors=True)
    p = subprocess.run([binary, path, "--store", store, "--quiet"], capture_output=True, text=True)
    if p.returncode:
        sys.exit("%s failed:\n%s" % (binary, p.stderr))
    return stored(store)


def stored(store):
    db = sqlite3.connect(store)
    lat, cost = {}, []
    for arch, metrics, t0, t1 in db.execute(
            "SELECT arch_id, metrics, started, finished FROM trial WHERE stage = 1 AND metrics IS NOT NULL"):
        m = json.loads(metrics)
        if m.get("latency"):
            lat[arch] = m["latency"]
            cost.append((t1 - t0, m.get("jit_ms", 0), m.get("train_seconds", 0)))
    return lat, cost


def latency(args, work):
    path, src = proxy_file(work, args, "random")
    if "latency <=" not in src:  # the example's reward has no latency term: the MNasNet one
        src = src.replace("maximize accuracy\n", "maximize accuracy\n    subject to latency <= 300us soft(weight = -0.07)\n", 1)
        open(path, "w").write(src)
    m = re.search(r"latency\s*<=\s*([\d.]+)us\s+soft\(weight\s*=\s*(-?[\d.]+)\)", src)
    target, weight = float(m.group(1)) * 1e-6, float(m.group(2))
    for side, binary in (("a", args.a), ("b", args.b)):
        if not binary:
            continue
        stores = [os.path.join(work, "lat_%s_%d.nasdb" % (side, k)) for k in range(2)]
        both = [stored(st) if args.reuse else search(binary, path, st) for st in stores]
        runs = [b[0] for b in both]
        cost = [c for b in both for c in b[1]]
        print("%s: per trial (median of %d): %.1f s wall, JIT %.0f ms, training %.1f s" %
              (side, len(cost), statistics.median(c[0] for c in cost), statistics.median(c[1] for c in cost),
               statistics.median(c[2] for c in cost)))
        common = sorted(set(runs[0]) & set(runs[1]))
        f = [[(run[a] / target) ** weight for a in common] for run in runs]
        spread = [abs(runs[0][a] - runs[1][a]) / min(runs[0][a], runs[1][a]) for a in common]
        for a in common:
            print("%s %-10s latency %.1f us / %.1f us" % (side, a, runs[0][a] * 1e6, runs[1][a] * 1e6))
        print("%s (%s): %d architectures; run-to-run latency difference median %.0f%%, max %.0f%%; "
              "Kendall tau-b of the latency factor between the runs %.3f" %
              (side, binary, len(common), 100 * statistics.median(spread), 100 * max(spread),
               kendall_tau_b(f[0], f[1])), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["cost", "latency"])
    ap.add_argument("--a", help="nasrun binary A (e.g. a copy of the old one); latency: may be left out")
    ap.add_argument("--b", help="nasrun binary B; latency: may be left out")
    ap.add_argument("--archs", default="13SX5,130W08,14SY6", help="cost: architecture IDs of the example")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", type=int, default=0, help="train on the first N images only")
    ap.add_argument("--trials", type=int, default=8, help="latency: architectures per run")
    ap.add_argument("--parallel", type=int, default=2, help="latency: trials at once")
    ap.add_argument("--work", default="/tmp/nas-trial-cost")
    ap.add_argument("--reuse", action="store_true", help="latency: report the stores of an earlier run again")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    (cost if args.what == "cost" else latency)(args, args.work)


if __name__ == "__main__":
    main()
