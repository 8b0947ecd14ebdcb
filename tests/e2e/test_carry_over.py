"""test_carry_over.py — `nasrun new.nas --carry-over old.nas`: a search of old.nas (the external
trainer of nastest.py, whose reward is known), then new.nas, where the width choice lost its
value 1 and lists the others in another order (4, 3, 2): an old architecture without a width 1
is still one of the new space, under another ID. The new experiment must begin with exactly
the old finished trials `nasc --diff --format=json` maps, under their new IDs, with their old
rewards, marked carried, its trainer never started for them; `--status` counts them; a second
run (a resume) carries nothing again; a carry cut off half-way (its later rows gone, as when
the run is killed while carrying) is finished by the resume. The workflow docs/nasrun.md shows
(`cp space.nas old.nas`, edit space.nas in place, `nasrun space.nas --carry-over old.nas`: one
store, space.nasdb, holds both) works without --new; an old file that is not the one the old
search ran is refused with where it looked."""
import json, os, shutil, sqlite3, subprocess
import nastest as T

d = T.workdir()
old = T.space_file(d, trials=40, name="old.nas")
new = os.path.join(d, "new.nas")
with open(old) as f:
    text = f.read()
with open(new, "w") as f:
    f.write(text.replace("choice c [1, 2, 3, 4]", "choice c [4, 3, 2]").replace("trials   40", "trials   50"))
log = os.path.join(d, "trainer.log")
T.run([old, "--quiet"], env_extra={"TRIAL_LOG": log}, check_rc=0)
old_rows = T.trials(d + "/old.nasdb")
old_done = {r[1]: r[3] for r in old_rows if r[2] == T.DONE}
T.check(len(old_done) >= 30, f"the old search finished its trials: {len(old_done)} done")

nasc = os.path.join(os.path.dirname(T.NASRUN), "nasc")
p = subprocess.run([nasc, "--diff", old, new, "--format=json"], capture_output=True, text=True, env=T.env())
mapping = dict(json.loads(p.stdout)["mapping"])
expect = {mapping[a]: r for a, r in old_done.items() if a in mapping}
T.check(0 < len(expect) < len(old_done), f"some old trials still hold, not all: {len(expect)} of {len(old_done)}")

open(log, "w").close()
p = T.run([new, "--carry-over", old], env_extra={"TRIAL_LOG": log}, check_rc=0)
T.check(f"carried over {len(expect)} of the {len(old_done)} finished trials" in p.stderr,
        f"the run says how many it carried: {p.stderr[-1500:]}")
rows = T.trials(d + "/new.nasdb")
carried = {r[1]: r for r in rows if r[4] and r[4].startswith("carried over from")}
T.check(len(carried) == len(expect), f"carried {len(carried)} trials, nasc --diff maps {len(expect)} of the done ones")
for new_id, reward in expect.items():
    r = carried.get(new_id)
    if T.check(r is not None, f"{new_id} (old reward {reward}) carried under its new ID"):
        T.check(r[2] == T.DONE and abs(r[3] - reward) < 1e-9, f"{new_id}: done with the old reward {reward}: {r}")
trained = {line.split()[1] for line in open(log) if line.strip()}
T.check(not trained & set(carried), f"the trainer ran for carried trials: {sorted(trained & set(carried))}")
T.check(len(rows) == 50 and len(trained) > 0, f"the new search ran its other trials: {len(rows)} rows, {len(trained)} trained")

st = T.run([new, "--status", "--json"], check_rc=0)
s1 = json.loads(st.stdout)["stages"][0]
T.check(s1["carried"] == len(expect), f"--status counts {s1['carried']} carried, expected {len(expect)}")
text_status = T.run([new, "--status"], check_rc=0).stdout
T.check(f"({len(expect)} carried over)" in text_status, f"--status says how many were carried: {text_status}")

# resume: nothing carried again, nothing trained again
p = T.run([new, "--carry-over", old, "--trials", "55"], env_extra={"TRIAL_LOG": log}, check_rc=0)
again = T.trials(d + "/new.nasdb")
n_carried = sum(1 for r in again if r[4] and r[4].startswith("carried over from"))
T.check(n_carried == len(expect), f"a resume carried again: {n_carried} carried rows, expected {len(expect)}")
ids = [r[1] for r in again if r[2] == T.DONE]
T.check(len(ids) == len(set(ids)), "a resume duplicated done architectures")
T.check("nothing is carried again" in p.stderr, f"the resume says it carries nothing: {p.stderr[-800:]}")

# a carry cut off half-way: a store (the old one's copy, so --carry-over finds the old
# experiment in it) whose new search holds only the first carried rows
cut = os.path.join(d, "cut.nasdb")
shutil.copyfile(d + "/old.nasdb", cut)
T.run([new, "--store", cut, "--new", "--carry-over", old, "--trials", str(len(expect))], check_rc=0)
db = sqlite3.connect(cut)
exp = db.execute("SELECT max(id) FROM experiment").fetchone()[0]
db.execute("DELETE FROM trial WHERE experiment = ? AND stage = 1 AND seq >= ?", (exp, len(expect) // 2))
db.commit()
db.close()
T.check(len(T.trials(cut)) == len(expect) // 2, "the cut store holds half of the carried rows")
p = T.run([new, "--store", cut, "--carry-over", old, "--trials", str(len(expect))], check_rc=0)
rows = T.trials(cut)
T.check(sorted(r[1] for r in rows) == sorted(expect) and all(r[2] == T.DONE for r in rows),
        f"the resume finished the cut-off carry: {len(rows)} rows, expected {len(expect)}: {p.stderr[-800:]}")
# in place: old.nas is a copy, space.nas is edited, both experiments in space.nasdb
inplace = os.path.join(d, "inplace")
os.mkdir(inplace)
space = T.space_file(inplace, trials=20, name="space.nas")
T.run([space, "--quiet"], check_rc=0)
kept = os.path.join(inplace, "old.nas")
shutil.copyfile(space, kept)
with open(space) as f:
    text = f.read()
with open(space, "w") as f:
    f.write(text.replace("choice c [1, 2, 3, 4]", "choice c [4, 3, 2]"))
p = T.run([space, "--carry-over", kept], check_rc=0)
rows = T.trials(os.path.join(inplace, "space.nasdb"))  # the newest experiment's
n = sum(1 for r in rows if r[4] and r[4].startswith("carried over from experiment 1 of"))
T.check(n > 0 and "carried over" in p.stderr, f"in place: {n} carried from experiment 1 of space.nasdb: {p.stderr[-600:]}")
# an old file edited since its search: no experiment of it anywhere, said so
with open(kept, "w") as f:
    f.write(text.replace("trials   20", "trials   21"))
with open(space, "w") as f:
    f.write(text.replace("choice c [1, 2, 3, 4]", "choice c [3, 2]"))
p = T.run([space, "--carry-over", kept], check_rc=2)
T.check("no experiment of" in p.stderr and "space.nasdb" in p.stderr and "old.nasdb" in p.stderr,
        f"a changed old file is refused, saying where it looked: {p.stderr[-600:]}")
T.finish("carry_over")
