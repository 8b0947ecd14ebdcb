"""test_experiments.py — experiments are found by content: the same file named by another path,
from another directory, or after a comment and layout edit is the same experiment (a search
resumes it, the views show it); a module is part of it. --seed S begins (then resumes) the
experiment of that seed in the same store and proposes other architectures. --experiments lists
every experiment; an edited file is refused for a search (naming --new) but the views still
show the latest and say the file differs; --new keeps the earlier ones reachable with
--experiment N."""
import os, re, subprocess
import nastest as T

d = T.workdir()
space = T.space_file(d, trials=3, seed=1)
store = space[:-4] + ".nasdb"


def experiments():
    return T.rows(store, "SELECT id, seed FROM experiment ORDER BY id")


def listing(args):
    """The rows of --experiments: (id, seed, trials, marker)."""
    p = T.run(args + ["--experiments"], check_rc=0)
    rows = []
    for line in p.stdout.splitlines():
        m = re.match(r"\s*(\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+([0-9a-f]{12})\s+(\d+)\s+(\d+)\s+\S+\s+\S+(.*)$", line)
        if m:
            rows.append((int(m[1]), int(m[3]), int(m[4]), m[5].strip()))
    return rows, p


T.run([space, "--quiet"], check_rc=0)
first = T.trials(store)
T.check(len(first) == 3 and experiments() == [(1, 1)], f"first run: {first} {experiments()}")

# Another spelling of the path, another working directory: the views show experiment 1 without a note.
other = T.workdir()
for args, cwd in [(["./space.nas"], d), ([space], other), ([os.path.relpath(space, other)], other)]:
    p = subprocess.run([T.NASRUN] + args + ["--status"], cwd=cwd, capture_output=True, text=True, env=T.env(),
                       timeout=120)
    T.check(p.returncode == 0, f"--status as {args} from {cwd}: exit {p.returncode}: {p.stderr[-600:]}")
    T.check("experiment 1 of" in p.stdout and "(3 trials in the store)" in p.stdout,
            f"--status as {args}: {p.stdout[:300]}")
    T.check("differs" not in p.stderr, f"--status as {args} says the file differs: {p.stderr[-600:]}")

# Comments and layout are not the experiment: the search resumes experiment 1.
with open(space) as f:
    text = f.read()
edited = "// a comment at the top\n" + text.replace("    trials   3", "    trials      3   // three")
edited = edited.replace("reward {", "/* a block\n   comment */\nreward   {")
with open(space, "w") as f:
    f.write(edited)
p = T.run([space, "--stage", "1"], check_rc=0)
T.check("resuming experiment 1" in p.stderr, f"after a comment edit: not resumed: {p.stderr[-600:]}")
T.check(experiments() == [(1, 1)], f"after a comment edit: experiments {experiments()}")
T.check(T.trials(store, experiment=1) == first, "after a comment edit: the trials changed")

# --seed: a second experiment in the same store, other proposals; run again, it resumes.
p = T.run([space, "--seed", "7", "--quiet", "--stage", "1"], check_rc=0)
T.check(experiments() == [(1, 1), (2, 7)], f"--seed 7: experiments {experiments()}")
seeded = T.trials(store, experiment=2)
T.check(len(seeded) == 3, f"--seed 7: {len(seeded)} trials")
T.check([r[1] for r in seeded] != [r[1] for r in first], f"--seed 7 proposed what seed 1 did: {seeded}")
p = T.run([space, "--seed=7", "--trials", "4", "--stage", "1"], check_rc=0)
T.check("resuming experiment 2" in p.stderr, f"--seed 7 again: not resumed: {p.stderr[-600:]}")
T.check(len(T.trials(store, experiment=2)) == 4 and T.trials(store, experiment=2)[:3] == seeded,
        f"--seed 7 again: {T.trials(store, experiment=2)}")
T.check(experiments() == [(1, 1), (2, 7)], f"--seed 7 again: experiments {experiments()}")
p = T.run([space, "--seed", "7", "--status"], check_rc=0)
T.check("experiment 2 of" in p.stdout, f"--seed 7 --status: {p.stdout[:300]}")

rows, p = listing([space])
T.check([r[:3] for r in rows] == [(1, 1, 3), (2, 7, 4)], f"--experiments: {rows}\n{p.stdout}")
T.check(len(rows) == 2 and rows[0][3] == "<- this file" and "another seed" in rows[1][3], f"--experiments marks: {rows}")

# A real edit: a search is refused, naming --new; the views still answer and say so.
with open(space, "w") as f:
    f.write(edited.replace("trials      3", "trials      5"))
p = T.run([space, "--quiet"])
T.check(p.returncode == 2 and "--new" in p.stderr, f"edited: exit {p.returncode}: {p.stderr[-600:]}")
for view in (["--status"], ["--top", "2"], ["--export", "csv"]):
    p = T.run([space] + view)
    T.check(p.returncode == 0, f"edited {view}: exit {p.returncode}: {p.stderr[-600:]}")
    T.check("differs" in p.stderr, f"edited {view}: does not say the file differs: {p.stderr[-600:]}")
p = T.run([space, "--new", "--quiet", "--stage", "1"], check_rc=0)
T.check(experiments() == [(1, 1), (2, 7), (3, 1)], f"--new: experiments {experiments()}")
T.check(len(T.trials(store, experiment=3)) == 5, f"--new: {len(T.trials(store, experiment=3))} trials")
# --new hid nothing: experiment 1 is still there to see.
p = T.run([space, "--experiment", "1", "--export", "csv"], check_rc=0)
lines = [l for l in p.stdout.splitlines()[1:] if l]
T.check(len(lines) == 3, f"--experiment 1 --export: {p.stdout[:600]}")
col = p.stdout.splitlines()[0].split(",").index("arch_id")
T.check(sorted(l.split(",")[col].strip('"') for l in lines) == sorted(r[1] for r in first),
        f"--experiment 1 --export shows other trials: {lines}")
p = T.run([space, "--status"], check_rc=0)
T.check("experiment 3 of" in p.stdout and "differs" not in p.stderr, f"after --new, --status: {p.stdout[:300]} {p.stderr[-300:]}")
# A file that no longer compiles, or is gone: the views still show the store (the latest).
with open(space, "w") as f:
    f.write(edited.replace("reward   {", "reward   {{"))
p = T.run([space, "--status"])
T.check(p.returncode == 0 and "experiment 3 of" in p.stdout and "has errors" in p.stderr,
        f"broken file --status: exit {p.returncode}: {p.stdout[:200]} {p.stderr[-400:]}")
p = T.run([space, "--experiment=1", "--top", "1"])
T.check(p.returncode == 0 and any(r[1] in p.stdout for r in first),
        f"broken file --experiment 1 --top 1: exit {p.returncode}: {p.stdout[:300]}")
os.rename(space, space + ".away")
p = T.run([space, "--experiments"])
T.check(p.returncode == 0 and "3 experiments in the store" in p.stdout and "cannot be read" in p.stderr,
        f"missing file --experiments: exit {p.returncode}: {p.stdout[:300]} {p.stderr[-300:]}")
os.rename(space + ".away", space)
p = T.run([space, "--experiment", "9", "--status"])
T.check(p.returncode == 2 and "9" in p.stderr and "--experiments" in p.stderr, f"--experiment 9: {p.returncode} {p.stderr[-400:]}")

# A module is part of the experiment, by content: a comment in it changes nothing, an edit does.
m = T.workdir()
os.makedirs(os.path.join(m, "lib"))
with open(os.path.join(m, "lib", "layers.nas"), "w") as f:
    f.write("use std.layers\n\nblock layer(x: tensor) -> tensor {\n    let c = choice c [1, 2, 3, 4]\n"
            "    return x |> dense(c * 4) |> relu\n}\n")
main = T.space_file(m, trials=2)
with open(main) as f:
    mt = f.read()
mt = re.sub(r"block layer\(x: tensor\) -> tensor \{.*?\n\}\n", "", mt, flags=re.S)
with open(main, "w") as f:
    f.write('use "./lib/layers.nas"\n' + mt)
mstore = main[:-4] + ".nasdb"
T.run([main, "--quiet"], check_rc=0)
with open(os.path.join(m, "lib", "layers.nas"), "a") as f:
    f.write("// only a comment\n")
p = T.run([main, "--trials", "3"], check_rc=0)
T.check("resuming experiment 1" in p.stderr, f"module comment: {p.stderr[-400:]}")
with open(os.path.join(m, "lib", "layers.nas")) as f:
    lt = f.read()
with open(os.path.join(m, "lib", "layers.nas"), "w") as f:
    f.write(lt.replace("relu", "tanh"))
p = T.run([main, "--quiet"])
T.check(p.returncode == 2 and "differs" in p.stderr, f"module edit: exit {p.returncode}: {p.stderr[-400:]}")
T.finish("test_experiments")
