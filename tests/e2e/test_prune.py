"""test_prune.py — early stopping (`prune asha(...)`) on an external trainer that prints an
epoch line per epoch before its report, with known curves, killed with SIGKILL and resumed.

The trainer's accuracy after epoch e of E is final x (1 - 0.6^e) / (1 - 0.6^E), final set by
the decisions. Checked:
- every prune decision in the store is the ASHA rule recomputed here from the store alone:
  a trial's history is the trials told before it was asked (tell_event < its ask_event), its
  rungs 1 and 3 (reduction 3, 9 epochs); a trial stopped at the first rung where it is not in
  the top 1/3 (the first ones: only the best goes on). Pruned rows hold the epoch they reached
  (metrics.epoch), the curve up to it, and count as finished (the tally and --status).
- parallel 1, nasrun killed (SIGKILL) at random moments, mid-trial, and rerun: the store ends
  identical (seq, arch, state, reward, epoch) to an uninterrupted run, so the decisions of a
  resumed search are the same.
- parallel 2, killed and resumed: the decisions still follow the rule from the store.
- a proposal repeating a pruned architecture is answered from the store (CACHED, the pruned
  row's reward), not trained again: one trainer run per architecture, counted by the trainer."""
import json, os, random, signal, time
import nastest as T

SEED = int(os.environ.get("PRUNE_SEED", random.randrange(1 << 30)))
print("random moments from seed", SEED, "(rerun with PRUNE_SEED to repeat)")
TRAINER = r'''import json, os, time
d = json.loads(os.environ["NAS_DECISIONS"])
open("runs.log", "a").write(json.dumps(d, sort_keys=True) + "\n")
final = 0.4 + 0.1 * [2, 4, 8, 16].index(d["w"]) + 0.02 * d["v"]
E = int(os.environ["NAS_EPOCHS"])
for e in range(1, E + 1):
    time.sleep(0.02)
    print(json.dumps({"epoch": e, "accuracy": final * (1 - 0.6 ** e) / (1 - 0.6 ** E)}), flush=True)
print(json.dumps({"accuracy": final}))
'''
N = 14


def check_repeats(name, d, rows, whole=True):
    """Each architecture trained once; a repeat of a pruned one answers with its reward. Not
    whole (a killed search): whether a repeat occurs, and the trainer's runs, are not checked."""
    trained = {}
    for r in rows:
        if r[2] != T.CACHED:
            T.check(r[1] not in trained, f"{name}: {r[1]} trained again at seq {r[0]} (first at {trained.get(r[1])})")
            trained[r[1]] = r
    repeats = 0
    for r in rows:
        if r[2] == T.CACHED and trained[r[1]][2] == T.PRUNED:
            repeats += 1
            T.check(r[3] == trained[r[1]][3], f"{name}: seq {r[0]}: reward {r[3]}, the pruned row's {trained[r[1]][3]}")
    if not whole:
        return
    T.check(repeats >= 1, f"{name}: no repeat of a pruned architecture: {[(r[1], r[2]) for r in rows]}")
    runs = open(d + "/runs.log").read().splitlines()
    T.check(len(runs) == len(set(runs)) == len(trained), f"{name}: {len(runs)} trainer runs for {len(trained)} archs")


def interrupted(name, d, f, kills, rnd):
    store = d + "/p.nasdb"

    def done():
        try:
            return T.rows(store, "SELECT count(*) FROM trial WHERE state != 0")[0][0]
        except Exception:                        # not created yet
            return 0
    landed = 0
    for k in range(kills):
        target = done() + rnd.randint(1, 3)
        p = T.start([f])
        T.wait_for(lambda: p.poll() is not None or done() >= target, 120)
        time.sleep(rnd.uniform(0.02, 0.2))       # mid-trial, mostly
        if p.poll() is not None:
            break
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        landed += 1
    last = T.run([f], timeout=300, check_rc=0)
    T.check(landed >= 2, f"{name}: only {landed} kills landed mid-search")
    return last


def main():
    rnd = random.Random(SEED)
    ref = T.workdir()
    p = T.run([T.prune_case(ref, TRAINER, N, 1)], check_rc=0)
    want = T.rows(ref + "/p.nasdb", T.PRUNE_ROWS)
    T.check_asha("uninterrupted", want, N)
    check_repeats("uninterrupted", ref, want)
    T.check(f"[stage 1] {N} trials finished (0 failed)" in p.stderr, f"pruned trials not counted: {p.stderr[-600:]}")
    T.check("pruned" in p.stdout and "epochs run" in p.stdout and "saved" in p.stdout,
            f"no epochs-saved line: {p.stdout[-800:]}")
    st = T.run([ref + "/p.nas", "--status"], check_rc=0)
    npruned = sum(r[2] == T.PRUNED for r in want)
    T.check(f"{npruned} pruned" in st.stdout, f"--status: {st.stdout}")

    d = T.workdir()
    last = interrupted("parallel 1", d, T.prune_case(d, TRAINER, N, 1), 4, rnd)
    got = T.rows(d + "/p.nasdb", T.PRUNE_ROWS)
    strip = lambda rows: [r[:5] for r in rows]
    T.check(strip(got) == strip(want), f"parallel 1: resumed search differs:\n  got  {strip(got)}\n  want {strip(want)}")
    T.check("replayed proposals differ" not in last.stderr, f"parallel 1: {last.stderr[-600:]}")

    d2 = T.workdir()
    interrupted("parallel 2", d2, T.prune_case(d2, TRAINER, N, 2), 3, rnd)
    rows2 = T.rows(d2 + "/p.nasdb", T.PRUNE_ROWS)
    T.check_asha("parallel 2", rows2, N)
    check_repeats("parallel 2", d2, rows2, whole=False)
    T.finish("test_prune")


main()
