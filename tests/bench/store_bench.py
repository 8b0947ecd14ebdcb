#!/usr/bin/python3
"""store_bench.py — claims + results per second of nas's trial store beside Optuna's RDB
storage, with 1, 4 and 16 worker processes on an instant trainer, in short alternating rounds.

Run under tests/store/with_pg.sh (a throw-away PostgreSQL server; NAS_TEST_PG names it):
    tests/store/with_pg.sh /usr/bin/python3 tests/bench/store_bench.py build/tests/bench/store_bench \
        [--trials 1000] [--rounds 3]
Per trial, nas (store_bench): a claim, the cache look-up and the result, as nasrun does; on
SQLite (a file in TMPDIR) and on the server's database `nas`. Optuna 3.1 (Debian
python3-optuna, python3-psycopg2): study.ask(), eight suggest_int (the eight decisions nas
stores as one JSON object) and study.tell() against RDBStorage on the same server, RandomSampler.
Same trials, same workers; connections are made before the clock starts in both. Each round
runs every side once per worker count, in turn; printed: each side's median trials/s and the
median and spread (min..max) of the per-round ratio nas/Optuna on PostgreSQL.
Without Optuna the nas numbers are still measured, and the script says how to install it."""
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time

bench = sys.argv[1] if len(sys.argv) > 1 else None
args = sys.argv[2:]
trials = int(args[args.index("--trials") + 1]) if "--trials" in args else 1000
rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
server = os.environ.get("NAS_TEST_PG")
if not bench or not server:
    sys.exit("usage: tests/store/with_pg.sh /usr/bin/python3 store_bench.py PATH/TO/store_bench [--trials N] [--rounds R]")

try:
    import optuna
    import psycopg2  # noqa: F401  (SQLAlchemy's driver for postgresql://)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
except ImportError as e:
    optuna = None
    print(f"Optuna side skipped ({e}): apt-get install -y --no-install-recommends python3-optuna python3-psycopg2",
          flush=True)

WORKERS = (1, 4, 16)
PG_URL = f"{server}/nas"
SQLITE = os.path.join(os.environ.get("TMPDIR", "/tmp"), "store_bench.nasdb")


def nas(where, n):
    out = subprocess.run([bench, where, str(n), str(trials)], check=True, capture_output=True, text=True,
                         timeout=1200).stdout
    return float(out.split(",")[-1].split()[0])   # "... 1.234 s, 810.4 trials/s"


def optuna_worker(name, w, n, barrier):
    storage = optuna.storages.RDBStorage(PG_URL.replace("postgresql://", "postgresql+psycopg2://"))
    study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=w))
    barrier.wait()
    for seq in range(w, trials, n):
        t = study.ask()
        for i in range(8):
            t.suggest_int(f"layer[{i}].c", 1, 4)
        study.tell(t, (seq % 1000) / 1000.0)


def optuna_run(n, k):
    name = f"bench-{os.getpid()}-{n}-{k}"
    storage = optuna.storages.RDBStorage(PG_URL.replace("postgresql://", "postgresql+psycopg2://"))
    optuna.create_study(study_name=name, storage=storage, direction="maximize")
    storage.engine.dispose()   # the workers make their own connections
    barrier = mp.Barrier(n + 1)
    procs = [mp.Process(target=optuna_worker, args=(name, w, n, barrier)) for w in range(n)]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.time()
    for p in procs:
        p.join()
    dt = time.time() - t0
    if any(p.exitcode != 0 for p in procs):
        raise SystemExit("an Optuna worker failed")
    return trials / dt


if __name__ == "__main__":
    mp.set_start_method("fork")
    rates = {}   # (side, n) -> [trials/s per round]
    for k in range(rounds):
        for n in WORKERS:
            sides = [("nas sqlite", lambda: nas(SQLITE, n)), ("nas postgresql", lambda: nas(PG_URL, n))]
            if optuna:
                sides.append(("optuna postgresql", lambda: optuna_run(n, k)))
            if k % 2:
                sides.reverse()   # alternate which side runs first
            for side, run in sides:
                r = run()
                rates.setdefault((side, n), []).append(r)
                print(f"round {k + 1} workers {n:2d} {side:18s} {r:9.1f} trials/s", flush=True)
    print(f"\n{trials} trials per run, {rounds} rounds; median trials/s (claims + results):")
    print(f"{'workers':>7} {'nas sqlite':>11} {'nas pg':>9} {'optuna pg':>10} {'nas pg / optuna pg (spread)':>30}")
    for n in WORKERS:
        med = {s: statistics.median(rates[(s, n)]) for s, w in rates if w == n}
        line = f"{n:7d} {med['nas sqlite']:11.1f} {med['nas postgresql']:9.1f}"
        if optuna:
            ratios = [a / b for a, b in zip(rates[("nas postgresql", n)], rates[("optuna postgresql", n)])]
            line += f" {med['optuna postgresql']:10.1f} {statistics.median(ratios):14.2f}x ({min(ratios):.2f}..{max(ratios):.2f})"
        print(line)
