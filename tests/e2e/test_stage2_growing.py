"""test_stage2_growing.py — stage 2 rows belong to architectures, not ranks: stage 2 run early
(--stage 2 after 4 stage-1 trials) trains the top 2 of that moment; stage 1 then goes on (more
trials) and a later --stage 2 trains only the architectures that entered the top 2 since. No row
changes its architecture or is trained twice, and every stage-2 row's reward is the known one."""
import json
import nastest as T

d = T.workdir()
f = T.space_file(d, trials=4, seed=5, extra='''
train full {
    from   s top 2
    data   d.train / d.test
    epochs 1
}
''')
store = d + "/space.nasdb"
T.run([f, "--stage", "1"], check_rc=0)
T.run([f, "--stage", "2"], check_rc=0)
early = T.rows(store, "SELECT seq, arch_id, state, reward, finished FROM trial WHERE stage = 2 ORDER BY seq")
T.check(len(early) == 2 and all(r[2] == T.DONE for r in early), f"early stage 2: {early}")

T.run([f, "--stage", "1", "--trials", "16"], check_rc=0)
T.run([f, "--stage", "2"], check_rc=0)
s1 = T.rows(store, "SELECT arch_id, reward FROM trial WHERE stage = 1 AND state = ? ORDER BY reward DESC, seq", (T.DONE,))
late = T.rows(store, "SELECT seq, arch_id, state, reward, finished FROM trial WHERE stage = 2 ORDER BY seq")
top2 = [a for a, _ in s1[:2]]
T.check(all(r in late for r in early), f"an early stage-2 row changed: {early} -> {late}")
T.check(all(a in [r[1] for r in late] for a in top2), f"the final top 2 {top2} are not all trained: {late}")
archs = [r[1] for r in late]
T.check(len(archs) == len(set(archs)), f"an architecture was trained twice in stage 2: {late}")
T.check([r[0] for r in late] == list(range(len(late))), f"stage-2 seqs {[r[0] for r in late]}")
new = [r for r in late if r not in early]
T.check(all(r[1] in top2 for r in new), f"stage 2 trained {new}, not only newcomers of the top 2 {top2}")
decisions = dict(T.rows(store, "SELECT arch_id, decisions FROM trial WHERE stage = 2"))
for r in late:
    want = T.known_reward(json.loads(decisions[r[1]]))
    T.check(abs(r[3] - want) < 1e-9, f"stage-2 reward of {r[1]}: {r[3]}, known {want}")
T.finish("test_stage2_growing")
