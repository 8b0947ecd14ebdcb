"""test_options.py — the command lines of nasrun and nasc: `--opt=value` and `--opt value` mean
the same; an unknown option near a known one is answered with it ("did you mean --status?");
an option that takes no value refuses one; durations take the file's units (--trial-timeout 1s
fails a 3-second trial, --time-limit 0.05min stops a search of slow trials); nasrun and nasc
colour diagnostics on a terminal unless NO_COLOR or TERM=dumb, and as --color says."""
import os, pty, subprocess
import nastest as T

NASC = os.path.join(os.path.dirname(T.NASRUN), "nasc")
d = T.workdir()
space = T.space_file(d, trials=2)
store = space[:-4] + ".nasdb"
T.run([space, "--quiet"], check_rc=0)

# both spellings of a value
a = T.run([space, "--top=1"], check_rc=0)
b = T.run([space, "--top", "1"], check_rc=0)
T.check(a.stdout == b.stdout and a.stdout.count("\n") >= 3, f"--top=1 / --top 1: {a.stdout!r} {b.stdout!r}")
T.check(len([l for l in a.stdout.splitlines() if l.startswith("   1  ")]) == 1, f"--top=1: {a.stdout}")

# near misses and misuse
for args, words in [([space, "--stauts"], ["--stauts", "did you mean --status?"]),
                    ([space, "--trails", "3"], ["did you mean --trials?"]),
                    ([space, "--status=yes"], ["--status", "takes no value"]),
                    ([space, "--top"], ["--top", "needs a value"]),
                    ([space, "--trial-timeout", "3parsecs"], ["--trial-timeout", "3parsecs"]),
                    ([space, "--color=sometimes"], ["--color", "sometimes"])]:
    p = T.run(args)
    T.check(p.returncode == 2, f"{args}: exit {p.returncode}")
    for w in words:
        T.check(w in p.stderr, f"{args}: stderr does not say {w!r}: {p.stderr[-400:]}")
p = subprocess.run([NASC, "--emti=space", space], capture_output=True, text=True, env=T.env())
T.check(p.returncode == 2 and "did you mean --emit?" in p.stderr, f"nasc --emti: {p.returncode} {p.stderr}")
a = subprocess.run([NASC, "--emit=space", space], capture_output=True, text=True, env=T.env())
b = subprocess.run([NASC, space, "--emit", "space"], capture_output=True, text=True, env=T.env())
T.check(a.returncode == 0 and a.stdout == b.stdout and '"decisions"' in a.stdout, f"nasc --emit=space / --emit space")

# durations with units
slow = T.space_file(T.workdir(), trials=1)
p = T.run([slow, "--trial-timeout", "1s", "--quiet"], env_extra={"SLEEP": "3"})
T.check("--trial-timeout" not in p.stderr, f"--trial-timeout 1s refused: {p.stderr[-300:]}")
rows = T.trials(slow[:-4] + ".nasdb") if os.path.exists(slow[:-4] + ".nasdb") else []
T.check(len(rows) == 1 and rows[0][2] == T.FAILED and "timed out after 1 s" in (rows[0][4] or ""),
        f"--trial-timeout 1s: {rows} {p.stderr[-400:]}")
slow = T.space_file(T.workdir(), trials=20)
p = T.run([slow, "--time-limit=0.05min", "--quiet"], env_extra={"SLEEP": "1"}, check_rc=0)
n = len(T.trials(slow[:-4] + ".nasdb")) if os.path.exists(slow[:-4] + ".nasdb") else 0
T.check(1 <= n <= 6, f"--time-limit 0.05min (3 s) of 1-second trials: {n} trials")

# colour on a terminal
bad = os.path.join(d, "bad.nas")
with open(bad, "w") as f:
    f.write("model m(x: tensor[8]) -> tensor[2] { return undefined_thing(x) }\n")


def on_tty(cmd, env_extra):
    """stderr of cmd when it is a terminal."""
    e = T.env()
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm"
    e.update(env_extra)
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, env=e)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    return out.decode(errors="replace")


for prog in ([T.NASRUN, bad], [NASC, bad]):
    name = os.path.basename(prog[0])
    T.check("\033[" in on_tty(prog, {}), f"{name}: no colour on a terminal")
    T.check("\033[" not in on_tty(prog, {"NO_COLOR": "1"}), f"{name}: colour with NO_COLOR")
    T.check("\033[" not in on_tty(prog, {"TERM": "dumb"}), f"{name}: colour with TERM=dumb")
    T.check("\033[" not in on_tty(prog + ["--color=never"], {}), f"{name}: colour with --color=never")
    p = subprocess.run(prog + ["--color", "always"], capture_output=True, text=True, env=T.env())
    T.check("\033[" in p.stderr, f"{name} --color always: no colour: {p.stderr[-300:]}")
T.finish("test_options")
