"""test_precision.py — the `precision` setting of a search reaches the trials. The same tiny
search (synthetic data, seeded) runs with `precision fp32` and `precision bf16`: both finish
every trial, the architectures proposed are the same, and the stored metrics differ (bf16
matmuls round differently), so the file's setting was used. bf16 needs AVX-512 on the CPU:
without it nasrun must refuse the file before any trial, with exit 2 and a message."""
import json
import nastest as T

with open("/proc/cpuinfo") as f:
    avx512 = " avx512f" in f.read()
metrics = {}
for prec in ("fp32", "bf16"):
    d = T.workdir()
    f = T.builtin_file(d, trials=3, epochs=2, settings=f"precision {prec}")
    p = T.run([f, "--quiet"])
    T.no_crash(p, prec)
    if prec == "bf16" and not avx512:
        T.check(p.returncode == 2 and "bf16" in p.stderr, f"bf16 without AVX-512: exit {p.returncode}: {p.stderr[-600:]}")
        break
    T.check(p.returncode == 0, f"{prec}: exit {p.returncode}: {p.stderr[-800:]}")
    rows = T.rows(d + "/builtin.nasdb", "SELECT arch_id, state, metrics FROM trial WHERE stage = 1 ORDER BY seq")
    T.check(len(rows) == 3 and all(r[1] in (T.DONE, T.CACHED) for r in rows), f"{prec}: trials {rows}")
    metrics[prec] = [(r[0], json.loads(r[2]) if r[2] else {}) for r in rows]
if len(metrics) == 2:
    a, b = metrics["fp32"], metrics["bf16"]
    T.check([x[0] for x in a] == [x[0] for x in b], f"the same seeded proposals: {a} vs {b}")
    T.check(any(x[1].get("loss") != y[1].get("loss") for x, y in zip(a, b)),
            f"bf16 trials report the fp32 losses exactly: was the setting ignored? {a} vs {b}")
T.finish("test_precision")
