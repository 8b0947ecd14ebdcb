"""test_train_one.py — --train-one ID on examples/tiny.nas (synthetic data, no stage 2, so the
stage-1 proxy task): prints the architecture's decisions, the data split (20% held out, as
the file says), one line per epoch (--epochs 2: exactly two, with finite losses and
accuracies in [0, 1]) and a final line whose accuracy is the last epoch's and beats chance
by far. Malformed IDs (a typo, a bad version, an empty one) give a clear error naming the
ID, exit 2, no crash. A file with an external trainer is refused (exit 2)."""
import json, math, os, re, shutil
from concurrent.futures import ThreadPoolExecutor
import nastest as T

d = T.workdir()
tiny = os.path.join(d, "tiny.nas")
shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "tiny.nas"), tiny)
# A real ID of this space: the first proposal of a one-trial search.
T.run([tiny, "--trials", "1", "--quiet", "--stage", "1"], check_rc=0, timeout=240)
rows = T.rows(d + "/tiny.nasdb", "SELECT arch_id, decisions FROM trial")
T.check(len(rows) == 1, f"one-trial search stored {rows}")
arch, dec = rows[0] if rows else ("1619", "{}")

p = T.run([tiny, "--train-one", arch, "--epochs", "2"], check_rc=0, timeout=240)
T.no_crash(p, "--train-one")
out = p.stdout
m = re.search(r"^architecture (\S+): (\{.*\})$", out, re.M)
T.check(m and m.group(1) == arch and json.loads(m.group(2)) == json.loads(dec),
        f"architecture line: {out[:300]} (store: {arch} {dec})")
T.check(re.search(r"^training on 1600 examples of blobs.train, validating on 400 \(20% held out\), 2 epochs, batch 64, lr 0.1$", out, re.M),
        f"data line: {out[:400]}")
epochs = re.findall(r"^epoch (\d+)\s+train loss (\S+) acc (\S+)\s+val loss (\S+) acc (\S+)", out, re.M)
T.check([e[0] for e in epochs] == ["1", "2"], f"epoch lines {epochs}: {out}")
for e in epochs:
    tl, ta, vl, va = map(float, e[1:])
    T.check(all(math.isfinite(x) for x in (tl, vl)) and 0 <= ta <= 1 and 0 <= va <= 1, f"epoch line {e}")
fin = re.search(r"^final: accuracy (\S+), loss (\S+), (\d+) params", out, re.M)
T.check(fin is not None, f"no final line: {out}")
if fin and epochs:
    T.check(fin.group(1) == epochs[-1][4], f"final accuracy {fin.group(1)} is not the last epoch's {epochs[-1][4]}")
    T.check(float(fin.group(1)) > 0.6, f"final accuracy {fin.group(1)}: 4 classes of blobs should be easy")
    T.check(int(fin.group(3)) > 0, "no parameters")

ext = T.space_file(d, trials=2)
BAD = [([tiny, "--train-one", bad], words) for bad, words in
       (("1619X", "check characters"), ("9" + arch[1:], "version"), ("", "too short"), (arch + "0", ""))]
with ThreadPoolExecutor(3) as pool:       # independent runs: at once
    results = list(pool.map(lambda c: T.run(c[0], timeout=240), BAD + [([ext, "--train-one", "1Y4RVC"], None)]))
for (args, words), p in zip(BAD, results):
    bad = args[-1]
    T.no_crash(p, f"--train-one {bad!r}")
    T.check(p.returncode == 2, f"--train-one {bad!r}: exit {p.returncode}, expected 2: {p.stderr[-500:]}")
    T.check(f"`{bad}`" in p.stderr and words in p.stderr, f"--train-one {bad!r}: stderr {p.stderr[-500:]}")
    T.check("final:" not in p.stdout, f"--train-one {bad!r} trained something")
p = results[-1]
T.no_crash(p, "--train-one with an external trainer")
T.check(p.returncode == 2 and "trainer" in p.stderr,
        f"--train-one with an external trainer: exit {p.returncode}: {p.stderr[-500:]}")
T.finish("test_train_one")
