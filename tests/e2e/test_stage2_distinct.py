"""test_stage2_distinct.py — stage 2 trains distinct architectures. With 2 trials in parallel
over a space of ONE architecture, stage 1 trains it twice (both proposals are in flight at
once; the cache answers only from finished trials). Stage 2, `top 2`, must train it once."""
import os
import nastest as T

d = T.workdir()
f = os.path.join(d, "one.nas")
with open(f, "w") as fh:
    fh.write('''use std.layers

dataset d {
    format  synthetic(n = 200, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(4) |> relu |> dense(2)
}

reward {
    maximize accuracy
}

search s {
    data     d.train split 80% / 20%
    batch    32
    trials   2
    parallel 2
}

train full {
    from   s top 2
    data   d.train / d.test
    epochs 1
}
''')
p = T.run([f, "--quiet"])
T.no_crash(p, "one architecture")
T.check(p.returncode == 0, f"exit {p.returncode}: {p.stderr[-800:]}")
store = d + "/one.nasdb"
s1 = T.rows(store, "SELECT arch_id, state FROM trial WHERE stage = 1")
s2 = T.rows(store, "SELECT arch_id, state FROM trial WHERE stage = 2")
T.check(len(s1) == 2 and len({a for a, _ in s1}) == 1, f"stage 1: {s1}")
T.check(sum(st == T.DONE for _, st in s1) >= 1, f"stage 1 trained nothing: {s1}")
T.check(len(s2) == 1 and s2[0][1] == T.DONE, f"stage 2 must train the one architecture once: {s2}")
T.finish("test_stage2_distinct")
