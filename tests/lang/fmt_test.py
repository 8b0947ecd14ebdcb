#!/usr/bin/env python3
"""nasc fmt: (1) tests/lang/fmt/messy.nas formats to messy.expected exactly (comments where they
stood, blank lines between statements, settings in one column); (2) every example and stdlib
module, formatted, keeps each of its comments in order, passes `nasc fmt --check` (a fixpoint)
and still compiles; (3) --check exits 1 on an unformatted file and changes nothing; (4) a file
that does not parse is left alone (exit 1)."""
import glob, os, re, shutil, subprocess, sys, tempfile

nasc, top = sys.argv[1], sys.argv[2]
failures = []

def run(*args):
    return subprocess.run([nasc, *args], capture_output=True, text=True)

def comments(text):
    return re.findall(r"//[^\n]*|/\*.*?\*/", text, re.S)

with tempfile.TemporaryDirectory() as tmp:
    messy = os.path.join(tmp, "messy.nas")
    shutil.copy(os.path.join(top, "tests/lang/fmt/messy.nas"), messy)
    before = open(messy).read()
    r = run("fmt", "--check", messy)
    if r.returncode != 1 or "not formatted" not in r.stdout or open(messy).read() != before:
        failures.append(f"--check on an unformatted file: exit {r.returncode}, {r.stdout!r}")
    r = run("fmt", messy)
    want = open(os.path.join(top, "tests/lang/fmt/messy.expected")).read()
    if r.returncode != 0 or open(messy).read() != want:
        failures.append(f"messy.nas formatted differs from messy.expected (exit {r.returncode}):\n" + open(messy).read())
    for src in sorted(glob.glob(os.path.join(top, "examples/*.nas")) + glob.glob(os.path.join(top, "stdlib/*.nas"))):
        dst = os.path.join(tmp, os.path.basename(src))
        shutil.copy(src, dst)
        r = run("fmt", dst)
        text = open(dst).read()
        if r.returncode != 0:
            failures.append(f"{src}: nasc fmt exit {r.returncode}: {r.stderr}")
        elif comments(text) != comments(open(src).read()):
            failures.append(f"{src}: comments lost or reordered")
        elif run("fmt", "--check", dst).returncode != 0:
            failures.append(f"{src}: formatting it twice changes it")
        elif "stdlib" not in src and run(dst).returncode != 0:
            failures.append(f"{src}: formatted, it no longer compiles: {run(dst).stderr}")
    broken = os.path.join(tmp, "broken.nas")
    open(broken, "w").write("let a = (1 +\n")
    r = run("fmt", broken)
    if r.returncode != 1 or open(broken).read() != "let a = (1 +\n" or "NAS0201" not in r.stderr:
        failures.append(f"a file that does not parse: exit {r.returncode}, changed or no diagnostic")

for f in failures:
    print("FAIL", f)
print(f"fmt_test: {len(failures)} failures")
sys.exit(1 if failures else 0)
