"""test_learning.py — learning controllers beat random search. On the known-reward space
(65536 architectures, reward 1 - distance to one target architecture / 20, see nastest.py),
40 trials each with seeds 1, 2, 3: the best reward of evolution, of reinforce (at its
defaults) and of local search, averaged over the seeds, must exceed random's by at least
MARGIN (0.05 = one step of distance), and on every seed be at least random's. The mean reward
of their last 20 trials must exceed random's by MARGIN too (they learn; random does not).
Everything is seeded, so the numbers are reproducible: seen when written, best mean random
0.783, evolution 0.900, reinforce 0.867, local 0.967."""
import nastest as T

TRIALS, SEEDS, MARGIN = 40, (1, 2, 3), 0.05
ALGOS = {
    "random": "random",
    "evolution": "evolution(population = 10, sample = 3)",
    "reinforce": "reinforce",
    "local": "local",
}
runs = []
for name, algo in ALGOS.items():
    for seed in SEEDS:
        d = T.workdir()
        f = T.space_file(d, algorithm=algo, trials=TRIALS, seed=seed)
        runs.append((name, seed, d, T.start([f, "--quiet"])))

best, late = {}, {}
for name, seed, d, p in runs:
    rc = p.wait(timeout=300)
    if not T.check(rc == 0, f"{name} seed {seed}: exit {rc}"):
        print(T.output(p)[-2000:])
        continue
    rows = T.trials(d + "/space.nasdb")
    T.check(len(rows) == TRIALS and all(r[2] in (T.DONE, T.CACHED) for r in rows),
            f"{name} seed {seed}: {len(rows)} trials, states {sorted({r[2] for r in rows})}")
    rewards = [r[3] for r in rows]
    best.setdefault(name, {})[seed] = max(rewards)
    late.setdefault(name, {})[seed] = sum(rewards[TRIALS // 2:]) / (TRIALS - TRIALS // 2)

mean = lambda xs: sum(xs) / len(xs)
if all(len(best.get(n, {})) == len(SEEDS) for n in ALGOS):
    for name in ALGOS:
        print(f"{name:9s} best per seed {[best[name][s] for s in SEEDS]} mean {mean(list(best[name].values())):.3f}; "
              f"mean of the last {TRIALS - TRIALS // 2} trials {mean(list(late[name].values())):.3f}")
    rb, rl = mean(list(best["random"].values())), mean(list(late["random"].values()))
    for name in ("evolution", "reinforce", "local"):
        b, l = mean(list(best[name].values())), mean(list(late[name].values()))
        T.check(b >= rb + MARGIN, f"{name}: mean best {b:.3f} is not above random's {rb:.3f} + {MARGIN}")
        T.check(l >= rl + MARGIN, f"{name}: late mean {l:.3f} is not above random's {rl:.3f} + {MARGIN}")
        for s in SEEDS:
            T.check(best[name][s] >= best["random"][s],
                    f"{name} seed {s}: best {best[name][s]} below random's {best['random'][s]}")
T.finish("test_learning")
