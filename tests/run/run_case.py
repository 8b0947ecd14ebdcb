#!/usr/bin/env python3
"""run_case.py — runs one tests/run case through nasrun and checks the effects written in it.

Usage: run_case.py --nasrun PATH --work DIR CASE.nas     (exit 0 pass, 1 fail)

A case is a .nas file whose `//` comments say what nasrun must do with it (see README.md):
  // at: sub/f.nas                  where the case is written in its fresh work directory
                                    (default: its own name); nasrun runs from the work directory
  // write: PATH = EXPR             a file beside it: EXPR is Python giving str or bytes, with
                                    idx(dims, values) (an IDX file) and rows(n, f) at hand
  // env: NAME=VALUE                for every run ({work} is the work directory)
  // run: ARGS                      one nasrun invocation ({file}: the case's path; {sql:QUERY}:
                                    the first value the query gives on the store); several run
                                    in order, the expectations below each belong to it; with no
                                    `run:`, one run of `{file}`
  // expect-exit: N                 (default 0)
  // expect-stdout: TEXT            stdout contains TEXT; expect-stderr: the same for stderr
  // expect-not: TEXT               neither stdout nor stderr contains TEXT
  // expect-in-order: TEXT          these lines of a run appear in stdout + stderr in this order
  // expect-store: SQL => JSON      the rows the query gives on the store (case.nasdb), as JSON
  // expect-file: PATH => TEXT      the file (in the work directory) contains TEXT after the run
  // covers: DECL.SETTING, ...       not read here: run.coverage (coverage.py) checks them
"""
import argparse
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys

TIMEOUT = 240
DIRECTIVE = re.compile(r"//\s*(at|write|env|run|expect-exit|expect-stdout|expect-stderr|expect-not|"
                       r"expect-in-order|expect-store|expect-file):\s?(.*)$")
SANITIZER = ("Sanitizer", "runtime error:")


def idx(dims, values=None):
    """An IDX file of unsigned bytes: magic, the dimensions, then values (default: zeros)."""
    n = 1
    for d in dims:
        n *= d
    head = bytes([0, 0, 8, len(dims)]) + b"".join(int(d).to_bytes(4, "big") for d in dims)
    body = bytes(values) if values is not None else bytes(n if n < 1 << 24 else 0)
    return head + body


def rows(n, f):
    """n text lines, f(i) each."""
    return "".join(f(i) + "\n" for i in range(n))


def parse(path):
    spec = {"at": None, "write": [], "env": {}, "steps": []}
    step = None
    for line in open(path, encoding="utf-8"):
        m = DIRECTIVE.search(line)
        if not m:
            continue
        kind, arg = m.group(1), m.group(2).rstrip()
        if kind == "at":
            spec["at"] = arg
        elif kind == "write":
            name, _, expr = arg.partition(" = ")
            spec["write"].append((name.strip(), expr))
        elif kind == "env":
            k, _, v = arg.partition("=")
            spec["env"][k.strip()] = v
        elif kind == "run":
            step = new_step(arg)
            spec["steps"].append(step)
        else:
            if step is None:
                step = new_step("{file}")
                spec["steps"].append(step)
            if kind == "expect-exit":
                step["exit"] = int(arg)
            elif kind == "expect-store":
                sql, _, want = arg.partition(" => ")
                step["store"].append((sql, json.loads(want)))
            elif kind == "expect-file":
                name, _, text = arg.partition(" => ")
                step["file"].append((name, text))
            else:
                step[{"expect-stdout": "stdout", "expect-stderr": "stderr", "expect-not": "not",
                      "expect-in-order": "order"}[kind]].append(arg)
    if not spec["steps"]:
        spec["steps"].append(new_step("{file}"))
    return spec


def query(store, sql):
    db = sqlite3.connect(store)
    got = [list(r) for r in db.execute(sql).fetchall()]
    db.close()
    return got


def new_step(args):
    return {"args": args, "exit": 0, "stdout": [], "stderr": [], "not": [], "order": [], "store": [], "file": []}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nasrun", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case")
    a = ap.parse_args()
    spec = parse(a.case)
    name = os.path.splitext(os.path.basename(a.case))[0]
    work = os.path.join(os.path.abspath(a.work), name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rel = spec["at"] or os.path.basename(a.case)
    os.makedirs(os.path.dirname(os.path.join(work, rel)) or work, exist_ok=True)
    shutil.copy(a.case, os.path.join(work, rel))
    for path, expr in spec["write"]:
        value = eval(expr, {"idx": idx, "rows": rows, "__builtins__": {"range": range, "bytes": bytes, "str": str,
                                                                         "len": len, "int": int}})
        full = os.path.join(work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb" if isinstance(value, bytes) else "w") as f:
            f.write(value)
    env = dict(os.environ)
    env.update({k: v.replace("{work}", work) for k, v in spec["env"].items()})
    store = os.path.join(work, os.path.splitext(rel)[0] + ".nasdb")
    failures = []
    for i, st in enumerate(spec["steps"], 1):
        line = re.sub(r"\{sql:([^}]*)\}", lambda m: shlex.quote(str(query(store, m.group(1))[0][0])), st["args"])
        args = [x.replace("{file}", rel) for x in shlex.split(line)]
        p = subprocess.run([os.path.abspath(a.nasrun)] + args, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        what = f"run {i} (nasrun {' '.join(args)})"
        before = len(failures)
        both = p.stdout + p.stderr

        def fail(msg):
            failures.append(f"{what}: {msg}")

        if p.returncode != st["exit"]:
            fail(f"exit {p.returncode}, expected {st['exit']}")
        if any(w in p.stderr for w in SANITIZER):
            fail("sanitizer report")
        for t in st["stdout"]:
            if t not in p.stdout:
                fail(f"stdout lacks {t!r}")
        for t in st["stderr"]:
            if t not in p.stderr:
                fail(f"stderr lacks {t!r}")
        for t in st["not"]:
            if t in both:
                fail(f"output has {t!r}")
        at = 0
        for t in st["order"]:
            k = both.find(t, at)
            if k < 0:
                fail(f"{t!r} missing, or not after the lines before it")
            else:
                at = k + len(t)
        for sql, want in st["store"]:
            try:
                got = query(store, sql)
            except sqlite3.Error as e:
                got = f"error: {e}"
            if got != want:
                fail(f"{sql} gave {json.dumps(got)}, expected {json.dumps(want)}")
        for fname, text in st["file"]:
            full = os.path.join(work, fname)
            got = open(full, errors="replace").read() if os.path.exists(full) else None
            if got is None or text not in got:
                fail(f"{fname} lacks {text!r}: {got!r}"[:600])
        if len(failures) > before:
            print(f"--- {what}: exit {p.returncode}\n--- stdout:\n{p.stdout[-4000:]}\n--- stderr:\n{p.stderr[-4000:]}")
    for f in failures:
        print("FAIL:", f)
    if failures:
        print(f"{name}: {len(failures)} expectations failed (work directory kept: {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"{name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
