"""test_reports.py — the views of a finished store: --status, --top 3, --export json and
--export csv, checked against the store itself; --top and --status in a narrow terminal, with
--wide and --json. The search has 10 stage-1 trials (trial 1
and 6 fail: their trainer exits 3) and a stage 2 of the best 2."""
import csv, io, json, math
import nastest as T

d = T.workdir()
f = T.space_file(d, trials=10, max_failed=4, seed=4, extra='''
train full {
    from   s top 2
    data   d.train / d.test
    epochs 2
}
''')
store = d + "/space.nasdb"
p = T.run([f], {"MODE": "exit", "BAD_EVERY": "5"}, check_rc=0)
db = T.rows(store, "SELECT stage, seq, state, reward, arch_id, decisions, reason, attempts FROM trial ORDER BY stage, seq")
s1 = [r for r in db if r[0] == 1]
s2 = [r for r in db if r[0] == 2]
T.check(len(s1) == 10 and [r[2] for r in s1].count(T.FAILED) == 2, f"stage 1 rows {s1}")
ok1 = sorted((r for r in s1 if r[2] == T.DONE), key=lambda r: (-r[3], r[1]))
T.check(sorted(r[4] for r in s2) == sorted(r[4] for r in ok1[:2]), f"stage 2 trained {[r[4] for r in s2]}, "
        f"not the best two of stage 1 {[r[4] for r in ok1[:2]]}")
T.check(all(r[2] == T.DONE for r in s2), f"stage 2 states {[r[2] for r in s2]}")
T.check("reproduce: nasrun" in p.stdout and "--train-one" in p.stdout, f"no summary: {p.stdout[-800:]}")

# --status
st = T.run([f, "--status"], check_rc=0)
n_done = sum(r[2] == T.DONE for r in s1)
n_cached = sum(r[2] == T.CACHED for r in s1)
T.check(f"({len(db)} trials in the store)" in st.stdout, f"--status total: {st.stdout[:300]}")
T.check(f"stage 1: {n_done} done, 0 running, 2 failed, 0 infeasible, {n_cached} cached" in st.stdout,
        f"--status stage 1 counts: {st.stdout[:400]}")
T.check(f"stage 2: 2 done, 0 running, 0 failed" in st.stdout, f"--status stage 2 counts: {st.stdout[:400]}")
for r in s1:
    if r[2] == T.FAILED:
        T.check(f"failed: stage 1 trial {r[1]} {r[4]}: trainer exited with status 3" in st.stdout,
                f"--status does not list failed trial {r[1]}: {st.stdout[:800]}")

# --top 3: three rows per stage, best first, as in the store
top = T.run([f, "--top", "3"], check_rc=0)
lines = top.stdout.splitlines()
sec = [i for i, l in enumerate(lines) if l.startswith("stage ")]
T.check(len(sec) == 2, f"--top 3: sections {sec}: {top.stdout[:600]}")
if len(sec) == 2:
    body1 = [l.split() for l in lines[sec[0] + 2:sec[1]] if l.strip()]
    body2 = [l.split() for l in lines[sec[1] + 2:] if l.strip()]
    T.check(len(body1) == 3, f"--top 3: {len(body1)} stage-1 rows: {top.stdout[:600]}")
    want = sorted((r for r in s1 if r[2] in (T.DONE,)), key=lambda r: (-r[3], r[1]))[:3]
    T.check([float(b[4]) for b in body1] == [round(r[3], 4) for r in want],
            f"--top 3 rewards {[b[4] for b in body1]}, store {[r[3] for r in want]}")
    T.check([b[0] for b in body1] == ["1", "2", "3"], f"--top 3 ranks {[b[0] for b in body1]}")
    T.check(len(body2) == 2, f"--top 3: {len(body2)} stage-2 rows")

# --export json: strict JSON (NaN would be an error), one object per trial
ex = T.run([f, "--export", "json"], check_rc=0)
def no_constants(c):
    raise ValueError(f"not JSON: {c}")
try:
    data = json.loads(ex.stdout, parse_constant=no_constants)
except ValueError as e:
    data = []
    T.check(False, f"--export json does not parse: {e}: {ex.stdout[:500]}")
T.check(len(data) == len(db), f"--export json: {len(data)} objects, store {len(db)}")
for o, r in zip(data, db):
    T.check((o["stage"], o["seq"], o["state"], o["arch_id"], o["attempts"]) == (r[0], r[1], T.STATES[r[2]], r[4], r[7]),
            f"--export json row {o} vs store {r}")
    T.check(o["decisions"] == json.loads(r[5]), f"--export json decisions {o['decisions']}")
    if o["state"] == "failed":
        T.check(o["reward"] is None and o["metrics"] is None and "status 3" in o["reason"],
                f"--export json failed row {o}")
    else:
        T.check(o["reward"] == T.known_reward(o["decisions"]), f"--export json reward {o['reward']}")
        T.check(o["metrics"]["accuracy"] == o["reward"] and o["metrics"]["bleu"] == round(20 - 20 * o["reward"]) * 2,
                f"--export json metrics {o['metrics']}")
        T.check(o["reason"] is None or o["state"] == "cached", f"--export json reason {o['reason']}")
    T.check(o["started"] > 1e9 and o["finished"] >= o["started"] and ":" in o["worker"],
            f"--export json times/worker {o['started']} {o['finished']} {o['worker']}")

# --export csv: a column per metric (every number a trial reported) and per decision
cs = T.run([f, "--export", "csv"], check_rc=0)
table = list(csv.DictReader(io.StringIO(cs.stdout)))
header = cs.stdout.splitlines()[0].split(",")
T.check(len(table) == len(db), f"--export csv: {len(table)} rows, store {len(db)}")
T.check([h for h in header if h.startswith("decision:")] == [f"decision:layer[{i}].c" for i in range(8)],
        f"--export csv decision columns: {header}")
T.check({"accuracy", "params", "bleu", "latency"} <= set(header) and "decisions" not in header,
        f"--export csv metric columns: {header}")
for c, r in zip(table, db):
    T.check((int(c["stage"]), int(c["seq"]), c["state"], c["arch_id"]) == (r[0], r[1], T.STATES[r[2]], r[4]),
            f"--export csv row {c} vs store {r}")
    if r[2] == T.FAILED:
        T.check(math.isnan(float(c["reward"])) and "status 3" in c["reason"], f"--export csv failed row {c}")
    else:
        T.check(float(c["reward"]) == r[3] and float(c["accuracy"]) == r[3], f"--export csv reward {c}")
        T.check(float(c["bleu"]) == round(20 - 20 * r[3]) * 2, f"--export csv bleu {c['bleu']}")
    dec = json.loads(r[5])
    T.check({k[len("decision:"):]: int(v) for k, v in c.items() if k.startswith("decision:")} == dec,
            f"--export csv decisions {c} vs store {dec}")

# --top and --status fit the terminal's width ($COLUMNS), the decisions shortened; --wide
# and --json give the full values
for width in (60, 80, 132):
    for view in (["--top", "5"], ["--status"]):
        v = T.run([f] + view, {"COLUMNS": str(width)}, check_rc=0)
        long = [l for l in v.stdout.splitlines() if len(l) > width]
        T.check(not long, f"{view} with COLUMNS={width}: {len(long)} lines wider: {long[:2]}")
        T.check(len(v.stdout.splitlines()) == len(T.run([f] + view, check_rc=0).stdout.splitlines()),
                f"{view} with COLUMNS={width} has other lines than without")
narrow = T.run([f, "--top", "1"], {"COLUMNS": "100"}, check_rc=0).stdout
T.check("l[0].c=" in narrow and "\u2026" in narrow, f"--top in 100 columns: no shortened decisions: {narrow}")
wide = T.run([f, "--top", "1", "--wide"], {"COLUMNS": "60"}, check_rc=0).stdout
best1 = ok1[0]
T.check(best1[5] in wide, f"--top --wide does not print the full decisions {best1[5]}: {wide}")
tj = json.loads(T.run([f, "--top", "3", "--json"], check_rc=0).stdout)
T.check([s["stage"] for s in tj["stages"]] == [1, 2] and
        [(t["arch_id"], t["reward"], t["decisions"]) for t in tj["stages"][0]["trials"]] ==
        [(r[4], r[3], json.loads(r[5])) for r in ok1[:3]], f"--top --json: {tj}")
sj = json.loads(T.run([f, "--status", "--json"], check_rc=0).stdout)
T.check(sj["trials"] == len(db) and [(s["stage"], s["done"], s["failed"], s["cached"]) for s in sj["stages"]] ==
        [(1, n_done, 2, n_cached), (2, 2, 0, 0)], f"--status --json counts: {sj['stages']}")
T.check(sorted((x["seq"], x["arch_id"]) for x in sj["failed"]) == sorted((r[1], r[4]) for r in s1 if r[2] == T.FAILED)
        and all("status 3" in x["reason"] for x in sj["failed"]) and sj["running"] == [],
        f"--status --json failed/running: {sj['failed']} {sj['running']}")
T.check(len(sj["top"]) == 2 and sj["top"][0]["trials"][0]["arch_id"] == ok1[0][4], f"--status --json top: {sj['top']}")
T.run([f, "--export", "csv", "--json"], check_rc=2)
T.finish("test_reports")
