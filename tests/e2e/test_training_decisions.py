"""test_training_decisions.py — a decision in a training setting is a decision of the space,
end to end: `optimizer adam(lr = choice learning_rate 1e-4 .. 1e-2 log)`, `batch` and
`epochs` decisions and an int log range (`choice h 16 .. 128 log`) are in `nasc --emit=space`,
in every trial's stored decisions and ID, reach an external trainer in NAS_DECISIONS
(it writes what it received; each value is the stored one and inside its range), and are
applied by the built-in trainer: `--train-one ID` prints the architecture's batch and lr, and
each trial's stored curve has as many epochs as its `epochs` decision."""
import json, math, os, subprocess
import nastest as T

NASC = os.path.join(os.path.dirname(T.NASRUN), "nasc")

SPACE = '''use std.layers
dataset d {
    format  synthetic(n = 200, seed = 1)
    input   [8]
    classes 2
}
let bs = choice batch [16, 32, 64]
model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice h 16 .. 128 log) |> relu |> dense(2)
}
reward { maximize accuracy }
search s {
    data      d.train split 80% / 20%
    trials    6
    max_failed 2
    batch     bs
    epochs    choice epochs [1, 2, 3]
    optimizer adam(lr = choice learning_rate 1e-4 .. 1e-2 log)
}
'''
TRAINER = '''trainer t { exec "echo \\"$NAS_DECISIONS\\" >> LOG; echo '{\\"accuracy\\": 0.5}'" }
'''

d = T.workdir()
builtin = os.path.join(d, "builtin.nas")
with open(builtin, "w") as f:
    f.write(SPACE)
ext_dir = os.path.join(d, "ext")
os.mkdir(ext_dir)
external = os.path.join(ext_dir, "external.nas")
log = os.path.join(ext_dir, "received.log")
with open(external, "w") as f:
    f.write(SPACE + TRAINER.replace("LOG", log))

# The decision table: the three training decisions next to the model's int log range.
p = subprocess.run([NASC, builtin, "--emit=space"], capture_output=True, text=True, env=T.env())
T.check(p.returncode == 0, f"nasc --emit=space: exit {p.returncode}: {p.stderr[-1500:]}")
table = {x["name"]: x for x in json.loads(p.stdout)["decisions"]} if p.returncode == 0 else {}
T.check(set(table) == {"h", "batch", "epochs", "learning_rate"}, f"decisions {sorted(table)}")
if "h" in table:
    vals = table["h"].get("values", [])
    T.check(vals[:3] == [16, 17, 18] and vals[-1] == 128 and all(isinstance(v, int) for v in vals),
            f"int log range h: {vals}")
if "learning_rate" in table:
    lr = table["learning_rate"]
    T.check(lr["kind"] == "float_range" and lr.get("log") and lr["lo"] == 1e-4 and lr["hi"] == 1e-2, f"lr: {lr}")


def check_values(dec, what):
    T.check(dec.get("batch") in (16, 32, 64), f"{what}: batch {dec}")
    T.check(dec.get("epochs") in (1, 2, 3), f"{what}: epochs {dec}")
    T.check(isinstance(dec.get("h"), int) and 16 <= dec["h"] <= 128, f"{what}: h {dec}")
    lr = dec.get("learning_rate")
    T.check(isinstance(lr, float) and 1e-4 <= lr <= 1e-2, f"{what}: learning_rate {dec}")


# External trainer: it receives exactly the stored decisions, the training ones included.
T.run([external, "--quiet", "--stage", "1"], check_rc=0, timeout=200)
stored = T.rows(os.path.join(ext_dir, "external.nasdb"), "SELECT arch_id, decisions FROM trial ORDER BY seq")
received = [json.loads(line) for line in open(log)] if os.path.exists(log) else []
T.check(len(stored) == 6 and len(received) == 6, f"{len(stored)} trials stored, {len(received)} received")
for (arch, dec), got in zip(stored, received):
    T.check(json.loads(dec) == got, f"trial {arch}: stored {dec}, the trainer got {got}")
    check_values(got, f"external trial {arch}")
T.check(len({json.dumps(r, sort_keys=True) for r in received}) > 1, f"every trial got the same values: {received}")

# Built-in trainer: each trial trains for its own `epochs`, --train-one shows batch and lr.
T.run([builtin, "--quiet", "--stage", "1"], check_rc=0, timeout=200)
rows = T.rows(os.path.join(d, "builtin.nasdb"), "SELECT arch_id, decisions, curve FROM trial ORDER BY seq")
T.check(len(rows) == 6, f"built-in: {len(rows)} trials")
for arch, dec, curve in rows:
    dec = json.loads(dec)
    check_values(dec, f"built-in trial {arch}")
    n = len(json.loads(curve or "[]"))
    T.check(n == dec.get("epochs"), f"trial {arch}: {n} epochs trained, its decision says {dec.get('epochs')}")
if rows:
    arch, dec = rows[0][0], json.loads(rows[0][1])
    p = T.run([builtin, "--train-one", arch], check_rc=0, timeout=200)
    line = [l for l in p.stdout.splitlines() if l.startswith("training on")]
    T.check(line and f"{dec['epochs']} epochs, batch {dec['batch']}, lr " in line[0], f"train-one: {line} for {dec}")
    if line and ", lr " in line[0]:
        lr = float(line[0].rsplit(" ", 1)[1])
        T.check(math.isclose(lr, dec["learning_rate"], rel_tol=1e-5), f"train-one lr {lr}, decision {dec}")

T.finish("training_decisions")
