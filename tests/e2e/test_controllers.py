"""test_controllers.py — a small search finishes with each controller (random, grid, sobol,
evolution, reinforce, local, tpe univariate and multivariate, bo, ppo): exit 0, the store holds one row per trial in seq order
0..N-1, every row done or cached, each done reward is what the known-reward trainer gives its
decisions, and a cached row repeats an architecture evaluated earlier with the same reward.
The controllers that keep a model of the history (local, tpe, bo, ppo, and bo(multiobjective = true)
on a reward of two objectives) are also killed with SIGKILL mid-search and resumed, at parallel 1:
the resumed search must make the same proposals and get the same rewards as an uninterrupted one
(resume = replay of asks and tells). bo(multiobjective)'s two objectives are the trainer's
accuracy and its distance to the target (`bleu`), both maximized: they conflict everywhere, so
each ask's weight vector changes what the GP models and a draw that replay did not repeat
would change the proposals (with two objectives that agree every weight vector scalarises to
the same standardised values)."""
import json, os, signal
import nastest as T

TRIALS = 12
ALGOS = {
    "random": "random",
    "grid": "grid",
    "sobol": "sobol",
    "evolution": "evolution(population = 6, sample = 3)",
    "reinforce": "reinforce(lr = 0.1, baseline = 0.9, entropy = 0)",
    "local": "local(startup = 3)",
    "tpe": "tpe(startup = 4, candidates = 24)",
    "tpe-multivariate": "tpe(startup = 4, multivariate = true)",
    "bo": "bo(startup = 4)",
    "ppo": "ppo(lr = 0.5, clip = 0.3, batch = 4, epochs = 4, entropy = 0)",
}
MULTI = {"bo-multiobjective": "bo(startup = 4, multiobjective = true)"}
REWARD2 = "maximize accuracy\n    maximize bleu"

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

def finished(store):
    try:
        return T.rows(store, "SELECT count(*) FROM trial WHERE stage = 1 AND state != 0")[0][0]
    except Exception:                            # not created yet
        return 0


def resumed(name, algo, n, kill_at, reward="maximize accuracy", learns=True):
    """(seq, arch_id, reward) of a search killed (SIGKILL, nasrun only) after each count of
    finished trials in kill_at and rerun each time, and of an uninterrupted one."""
    ref = T.workdir()
    T.run([T.space_file(ref, algorithm=algo, trials=n, seed=4, reward=reward), "--quiet"], check_rc=0, timeout=240)
    d = T.workdir()
    f = T.space_file(d, algorithm=algo, trials=n, seed=4, reward=reward)
    store, log = d + "/space.nasdb", d + "/trainer.log"
    kills = 0
    for k in kill_at:
        p = T.start([f], {"SLEEP": "0.1", "TRIAL_LOG": log})
        T.wait_for(lambda: p.poll() is not None or finished(store) >= k, 120)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            kills += 1
        p.wait()
    last = T.run([f, "--quiet"], check_rc=0, timeout=240)
    T.remove_trial_dirs(log)
    T.check(kills >= 2, f"{name}: only {kills} kills landed mid-search")
    T.check("replayed proposals differ" not in last.stderr, f"{name}: replay differs: {last.stderr[-800:]}")
    got = [(r[0], r[1], r[3]) for r in T.trials(store)]
    want = [(r[0], r[1], r[3]) for r in T.trials(ref + "/space.nasdb")]
    T.check(got == want, f"{name}: resumed search differs from the uninterrupted one:\n  got  {got}\n  want {want}")
    if not learns:                               # no one best reward to climb to
        return
    # The model learns: the second half beats the first on this smooth landscape.
    rewards = [r[2] for r in want]
    T.check(sum(rewards[n // 2:]) > sum(rewards[:n // 2]),
            f"{name}: no progress: first half {rewards[:n // 2]}, second {rewards[n // 2:]}")


for name in ("local", "tpe", "tpe-multivariate", "bo", "ppo"):
    resumed(name, ALGOS[name], 24, (4, 9, 15))
for name, algo in MULTI.items():
    resumed(name, algo, 24, (4, 9, 15), REWARD2, learns=False)
T.finish("test_controllers")
