"""test_controllers.py — a small search finishes with each controller (random, grid, sobol,
evolution, reinforce): exit 0, the store holds one row per trial in seq order 0..N-1, every
row done or cached, each done reward is what the known-reward trainer gives its decisions,
and a cached row repeats an architecture evaluated earlier with the same reward."""
import json
import nastest as T

TRIALS = 12
ALGOS = {
    "random": "random",
    "grid": "grid",
    "sobol": "sobol",
    "evolution": "evolution(population = 6, sample = 3)",
    "reinforce": "reinforce(lr = 0.1, baseline = 0.9, entropy = 0)",
}

procs = {}
for name, algo in ALGOS.items():          # concurrently: the trials mostly wait for the CPU
    d = T.workdir()
    f = T.space_file(d, algorithm=algo, trials=TRIALS, seed=3)
    procs[name] = (d, f, T.start([f, "--quiet"]))

for name, (d, f, p) in procs.items():
    rc = p.wait(timeout=240)
    T.check(rc == 0, f"{name}: exit {rc}")
    store = d + "/space.nasdb"
    rows = T.rows(store, "SELECT seq, arch_id, state, reward, decisions, reason FROM trial WHERE stage = 1 ORDER BY seq")
    T.check([r[0] for r in rows] == list(range(TRIALS)), f"{name}: seqs {[r[0] for r in rows]}")
    states = {T.STATES[r[2]] for r in rows}
    T.check(states <= {"done", "cached"}, f"{name}: states {states}")
    first = {}
    for seq, arch, state, reward, dec, reason in rows:
        want = T.known_reward(json.loads(dec))
        T.check(reward is not None and abs(reward - want) < 1e-9,
                f"{name}: trial {seq} {arch} reward {reward}, the trainer gives {want}")
        if state == T.CACHED:
            T.check(arch in first and first[arch] == reward,
                    f"{name}: trial {seq} cached but {arch} was not evaluated before with reward {reward}")
        elif state == T.DONE:
            T.check(arch not in first, f"{name}: trial {seq} retrained {arch} (evaluated before)")
            first.setdefault(arch, reward)
    if name in ("grid", "sobol"):
        archs = [r[1] for r in rows]
        T.check(len(set(archs)) == len(archs), f"{name}: repeated architectures {archs}")
T.finish("test_controllers")
