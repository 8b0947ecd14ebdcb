#!/usr/bin/python3
"""sample_vs_optuna.py — our sampler against Optuna 3.1 on the same space, in one run.

The space: 30 categorical parameters, even ones of 4 values, odd ones of 5 (20^15 ~ 3.3e19).
Optuna: in-memory storage, RandomSampler for 1000 trials and TPESampler for 200 trials, each
trial = ask + suggest_categorical x 30 + tell (objective 0 cost). Ours: tests/bench/sample_bench.
The runs are interleaved (ours, Random, ours, TPE, ours) and the ratios use the mean of our runs.

Usage: /usr/bin/python3 sample_vs_optuna.py PATH/TO/sample_bench [--check]
--check: exit 1 unless our sampling beats 1,000,000 architectures/s.
"""
import subprocess
import sys
import time

try:
    import optuna
except ImportError:   # Debian: apt-get install python3-optuna
    print("optuna is not installed for", sys.executable, "- SKIP")
    sys.exit(77)

NDEC = 30
CHOICES = [list(range(1, (5 if i % 2 else 4) + 1)) for i in range(NDEC)]


def ours(bench):
    out = subprocess.run([bench, "0.5"], check=True, capture_output=True, text=True, timeout=60).stdout
    rates = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] != "sink":
            rates[parts[0]] = float(parts[1])
    return out.splitlines()[0], rates


def optuna_rate(sampler, trials):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=sampler)   # in-memory storage

    def objective(trial):
        return float(sum(trial.suggest_categorical("p%d" % i, CHOICES[i]) for i in range(NDEC)))

    t0 = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return trials / (time.perf_counter() - t0)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    bench = sys.argv[1]
    runs = []
    header, r = ours(bench)
    runs.append(r)
    random_rate = optuna_rate(optuna.samplers.RandomSampler(seed=7), 1000)
    runs.append(ours(bench)[1])
    tpe_rate = optuna_rate(optuna.samplers.TPESampler(seed=7), 200)
    runs.append(ours(bench)[1])
    mean = {k: sum(x[k] for x in runs) / len(runs) for k in runs[0]}
    print(header)
    print("optuna %s, python %s" % (optuna.__version__, sys.version.split()[0]))
    print("%-28s %14s" % ("sampler", "per second"))
    for k, v in mean.items():
        print("%-28s %14.0f   (runs: %s)" % ("ours " + k, v, ", ".join("%.3g" % x[k] for x in runs)))
    print("%-28s %14.1f" % ("optuna RandomSampler x1000", random_rate))
    print("%-28s %14.2f" % ("optuna TPESampler x200", tpe_rate))
    print("ratio ours sample / optuna Random    : %.0fx" % (mean["sample"] / random_rate))
    print("ratio ours sample+id / optuna Random : %.0fx" % (mean["sample+id"] / random_rate))
    print("ratio ours sample / optuna TPE       : %.0fx" % (mean["sample"] / tpe_rate))
    print("ratio ours mutate / optuna TPE       : %.0fx" % (mean["mutate"] / tpe_rate))
    if "--check" in sys.argv and mean["sample"] < 1e6:
        print("FAIL: sampling below 1,000,000 architectures/s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
