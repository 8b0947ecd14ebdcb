"""test_check.py — --check runs 5 trials and prints the time per trial (each one, and their
mean), the reward spread (mean, sd, range: recomputed here from the per-trial lines) and a
projected cost line (trials x mean time / parallel, from the file's settings); it records
nothing (no store file appears). Once with the external trainer sleeping 0.3 s per trial
(the times must show it) and once with built-in training on tiny synthetic data."""
import os, re, statistics
import nastest as T
from concurrent.futures import ThreadPoolExecutor

d = T.workdir()
ext = T.space_file(d, trials=40, parallel=2, seed=6)
builtin = T.builtin_file(d, trials=30)


def check(name, p, trials, par, min_time):
    T.no_crash(p, name)
    T.check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr[-1000:]}")
    out = p.stdout
    T.check("proxy check: 5 trials, 0 failed" in out, f"{name}: {out[:300]}")
    m = re.search(r"time per trial: mean (\S+) s \(([^)]*)\)", out)
    if T.check(m is not None, f"{name}: no time line: {out}"):
        each = [float(x) for x in m.group(2).split(",")]
        T.check(len(each) == 5, f"{name}: {len(each)} trial times")
        T.check(abs(statistics.mean(each) - float(m.group(1))) <= 0.11,   # all rounded to 0.1 s
                f"{name}: mean of {each} is not {m.group(1)}")
        T.check(min(each) >= min_time, f"{name}: trial times {each} below {min_time} s")
    rewards = [float(x) for x in re.findall(r"trial \d+ \S+: reward (\S+)", p.stderr)]
    m = re.search(r"reward: mean (\S+), sd (\S+), range (\S+) \.\. (\S+)", out)
    if T.check(m is not None and len(rewards) == 5, f"{name}: reward line / per-trial rewards {rewards}: {out}"):
        want = (statistics.mean(rewards), statistics.stdev(rewards), min(rewards), max(rewards))
        got = tuple(float(x) for x in m.groups())
        T.check(all(abs(a - b) <= 6e-4 for a, b in zip(got, want)), f"{name}: spread {got}, per-trial {want}")
    m = re.search(r"projected stage 1: (\d+) trials x (\S+) s / (\d+) parallel = (\S+) \((\S+) days\)", out)
    if T.check(m is not None, f"{name}: no projection line: {out}"):
        T.check((int(m.group(1)), int(m.group(3))) == (trials, par), f"{name}: projection {m.group(0)}")
        secs = trials * float(m.group(2)) / par
        T.check(abs(float(m.group(5)) - secs / 86400) < 0.01, f"{name}: projection {m.group(0)}")


with ThreadPoolExecutor(2) as pool:
    pe = pool.submit(T.run, [ext, "--check"], {"SLEEP": "0.3"}, 240)
    pb = pool.submit(T.run, [builtin, "--check"], None, 240)
    check("external", pe.result(), 40, 2, 0.3)
    check("built-in", pb.result(), 30, 1, 0.0)
T.check(not [f for f in os.listdir(d) if ".nasdb" in f], f"--check left a store: {os.listdir(d)}")
T.finish("test_check")
