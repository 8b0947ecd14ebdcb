"""test_bad_input.py — bad input gives a clear error naming the culprit, exit code 2 and no
crash (no signal, no sanitizer report): a dataset directory that does not exist, a store in
a directory that does not exist, a store file of random bytes (left untouched), a SQLite
file of another program, a missing .nas file, bad options, a precision the CPU cannot compute
in (the file's `precision fp16`, or --precision fp64). A .nas file edited after a search
is refused (exit 2, naming --new) and its trials are kept; --new begins a new experiment."""
import os, random, sqlite3
from concurrent.futures import ThreadPoolExecutor
import nastest as T

d = T.workdir()
missing = os.path.join(d, "no-such-dir", "fashion")
idx = T.builtin_file(d, name="idx.nas", dataset=f'''dataset d {{
    format  idx
    path    "{missing}"
    input   [8]
    classes 2
}}''')
space = T.space_file(d, trials=2)
fp16 = T.builtin_file(d, name="fp16.nas", settings="precision fp16")
corrupt = os.path.join(d, "corrupt.nasdb")
with open(corrupt, "wb") as f:
    f.write(random.Random(1).randbytes(8192))
with open(corrupt, "rb") as f:
    corrupt_bytes = f.read()
foreign = os.path.join(d, "foreign.nasdb")
db = sqlite3.connect(foreign)
db.execute("CREATE TABLE trial(x)")        # a table of the same name, another program's
db.execute("INSERT INTO trial VALUES (42)")
db.commit()
db.close()

CASES = [   # (name, args, words stderr must contain)
    ("missing dataset", [idx], [missing]),
    ("unwritable store", [space, "--store", "/nonexistent/dir/x.nasdb"], ["/nonexistent/dir/x.nasdb"]),
    ("corrupt store", [space, "--store", corrupt], [corrupt]),
    ("corrupt store --status", [space, "--status", "--store", corrupt], [corrupt]),
    ("foreign store", [space, "--store", foreign], [foreign]),
    ("missing .nas", [os.path.join(d, "nothing.nas")], ["nothing.nas"]),
    ("bad --export", [space, "--export", "xml"], ["--export"]),
    ("bad --top", [space, "--top", "three"], ["--top", "three"]),
    ("unknown option", [space, "--frobnicate"], ["--frobnicate"]),
    ("fp16 on the cpu", [fp16], ["fp16", "cuda"]),
    ("bad --precision", [space, "--precision", "fp64"], ["--precision", "fp64"]),
]

with ThreadPoolExecutor(4) as pool:
    results = list(pool.map(lambda c: T.run(c[1], timeout=120), CASES))
for (name, args, words), p in zip(CASES, results):
    T.no_crash(p, name)
    T.check(p.returncode == 2, f"{name}: exit {p.returncode}, expected 2; stderr: {p.stderr[-800:]}")
    for w in words:
        T.check(w in p.stderr, f"{name}: stderr does not name {w!r}: {p.stderr[-800:]}")
    T.check(len(p.stderr.strip().splitlines()) <= 10, f"{name}: a clear error, not {len(p.stderr.splitlines())} lines")
with open(corrupt, "rb") as f:
    T.check(f.read() == corrupt_bytes, "the corrupt store file was modified")
T.check(sqlite3.connect(foreign).execute("SELECT x FROM trial").fetchall() == [(42,)],
        "the foreign SQLite file was modified")

# An edited .nas between runs.
store = space[:-4] + ".nasdb"
T.run([space, "--quiet"], check_rc=0)
before = T.trials(store)
T.check(len(before) == 2, f"first run: {len(before)} trials")
with open(space) as f:
    text = f.read()
with open(space, "w") as f:
    f.write(text.replace("trials   2", "trials   3"))
p = T.run([space, "--quiet"])
T.no_crash(p, "edited")
T.check(p.returncode == 2, f"edited: exit {p.returncode}, expected 2: {p.stderr[-800:]}")
T.check("--new" in p.stderr, f"edited: the message does not mention --new: {p.stderr[-800:]}")
T.check(T.rows(store, "SELECT count(*) FROM experiment")[0][0] == 1, "edited: a refused run created an experiment")
T.check(T.trials(store) == before, "edited: the refused run touched the trials")
p = T.run([space, "--quiet", "--new"], check_rc=0)
exps = T.rows(store, "SELECT id FROM experiment ORDER BY id")
T.check(len(exps) == 2, f"--new: experiments {exps}")
if len(exps) == 2:
    T.check(T.trials(store, experiment=exps[0][0]) == before, "--new: the old experiment's trials changed")
    T.check(len(T.trials(store, experiment=exps[1][0])) == 3, "--new: the new experiment does not hold 3 trials")
T.finish("test_bad_input")
