#!/usr/bin/env python3
"""run_case.py — runs one tests/lang case through nasc and checks the expectations written in it.

Usage:
  run_case.py --nasc PATH [--work DIR] CASE.nas        run one case (exit 0 pass, 1 fail, 77 skip)
  run_case.py --nasc PATH --example FILE.nas          a file that must compile with no error
  run_case.py --nasc PATH --snippet README.md --prelude P.nas --work DIR
                                                      the first ```nas block, after P, compiles
  run_case.py --coverage DIAG_CODES.def CASES_DIR     every code has an `expect:` in some case
  run_case.py --nasc PATH --explain-all DIAG_CODES.def   `nasc --explain` prints each paragraph

Directives are `//` line comments anywhere in the case (see tests/lang/README.md):
  // expect: error NAS0107 at 12:5        (also `warning`; `note at 3:1` for a note)
  // expect: error NAS0301 at modules/x.nas:3:5   (diagnostic in another file: path suffix)
  // expect-exit: 1
  // expect-output: <substring of stdout>    (several allowed)
  // expect-stderr: <substring of stderr>
  // expect-no-diagnostics
  // expect-roundtrip: off                   (on by default for cases with no expected error)
  // args: --emit=source {file}              (replaces the default `--diagnostics=json {file}`; {dir}: the case's directory)
  // input: empty | directory | missing | unreadable | too-large | not-a-directory | use-fifo | use-symlink-loop
  //        | long-chain (`let x = 1 + 1 + ...`, 50,000 terms: 200 KB on one line)
  // input-bytes: b"use std.layers\\n\\xff"   (a Python bytes literal written as the input)
  // env: NAS_STDLIB={dir}/modules/stdlib_alt   (set for nasc; {dir} is the case's directory)

Errors and warnings are matched EXACTLY (same multiset of level+code+line+col); notes listed
are required, unlisted notes are allowed. Only the standard library is used; no colour is read.
"""
import ast
import json
import os
import re
import shlex
import subprocess
import sys

TIMEOUT = 60
SKIP = 77
EXPECT_RE = re.compile(
    r"^(error|warning|note)(?:\s+(NAS\d{4}))?(?:\s+at\s+(?:(\S+):)?(\d+):(\d+))?\s*$")
DIRECTIVE_RE = re.compile(r"//\s*(expect|expect-exit|expect-output|expect-stderr|expect-no-diagnostics|"
                          r"expect-roundtrip|args|input|input-bytes|env)\b(?::\s?(.*))?$")


class CaseError(Exception):
    """A malformed directive in the case file itself."""


def parse_case(path):
    """Reads the directives of a case. Bytes are decoded leniently: a case may hold bad UTF-8 on purpose."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    spec = {"expect": [], "exit": None, "output": [], "stderr": [], "no_diags": False,
            "roundtrip": None, "args": None, "input": None, "input_bytes": None, "env": {}}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = DIRECTIVE_RE.search(line)
        if not m:
            continue
        kind, arg = m.group(1), (m.group(2) or "").rstrip()
        if kind == "expect":
            e = EXPECT_RE.match(arg.strip())
            if not e:
                raise CaseError(f"{path}:{lineno}: bad `expect:` directive: {arg!r}")
            level, code, file, line_s, col_s = e.groups()
            if level != "note" and not code:
                raise CaseError(f"{path}:{lineno}: `expect: {level}` needs a NASxxxx code")
            spec["expect"].append({"level": level, "code": code, "file": file,
                                   "line": int(line_s) if line_s else None,
                                   "col": int(col_s) if col_s else None, "src": lineno})
        elif kind == "expect-exit":
            spec["exit"] = int(arg)
        elif kind == "expect-output":
            spec["output"].append(arg)
        elif kind == "expect-stderr":
            spec["stderr"].append(arg)
        elif kind == "expect-no-diagnostics":
            spec["no_diags"] = True
        elif kind == "expect-roundtrip":
            spec["roundtrip"] = arg.strip() not in ("off", "no", "false")
        elif kind == "args":
            spec["args"] = shlex.split(arg)
        elif kind == "input":
            spec["input"] = arg.strip()
        elif kind == "env":
            name, _, value = arg.strip().partition("=")
            spec["env"][name] = value.replace("{dir}", os.path.dirname(os.path.abspath(path)))
        elif kind == "input-bytes":
            value = ast.literal_eval(arg.strip())
            if not isinstance(value, bytes):
                raise CaseError(f"{path}:{lineno}: `input-bytes:` needs a bytes literal b\"...\"")
            spec["input_bytes"] = value
    return spec


def make_input(spec, case, work):
    """Returns the path nasc reads: the case itself, or an input generated in the work dir."""
    os.makedirs(work, exist_ok=True)
    stem = os.path.splitext(os.path.basename(case))[0]
    target = os.path.join(work, stem + ".input.nas")
    if os.path.isdir(target) and not os.path.islink(target):
        os.rmdir(target)
    elif os.path.lexists(target):
        os.remove(target)   # unlink needs no read permission, so an earlier chmod 0 is harmless
    if spec["input_bytes"] is not None:
        with open(target, "wb") as f:
            f.write(spec["input_bytes"])
        return target
    kind = spec["input"]
    if kind is None:
        return case
    if kind == "empty":
        open(target, "wb").close()
    elif kind == "directory":
        os.mkdir(target)
    elif kind == "missing":
        pass
    elif kind == "not-a-directory":
        open(target, "wb").close()
        return os.path.join(target, "x.nas")
    elif kind == "unreadable":
        if os.geteuid() == 0:
            raise SkipCase("running as root: permissions cannot make a file unreadable")
        with open(target, "w") as f:
            f.write("let a = 1\n")
        os.chmod(target, 0)
    elif kind in ("use-fifo", "use-symlink-loop"):
        # The input uses a module next to it that is a FIFO (no writer) or a symlink loop.
        mod = os.path.join(work, stem + ".mod.nas")
        for p in (mod, mod + ".2"):
            if os.path.lexists(p):
                os.remove(p)
        if kind == "use-fifo":
            os.mkfifo(mod)
        else:
            os.symlink(os.path.basename(mod) + ".2", mod)
            os.symlink(os.path.basename(mod), mod + ".2")
        with open(target, "w") as f:
            f.write(f'use "./{os.path.basename(mod)}"\n')
    elif kind == "long-chain":
        with open(target, "w") as f:
            f.write("let x = " + " + ".join(["1"] * 50000) + "\n")
    elif kind == "too-large":
        # Sparse: 64 MiB + 1 byte without writing it; nasc must refuse it by size.
        with open(target, "wb") as f:
            f.truncate(64 * 1024 * 1024 + 1)
    else:
        raise CaseError(f"{case}: unknown `input: {kind}`")
    return target


class SkipCase(Exception):
    pass


def run(nasc, args, env=None):
    try:
        p = subprocess.run([nasc] + args, capture_output=True, timeout=TIMEOUT,
                           env=dict(os.environ, NO_COLOR="1", TERM="dumb", **(env or {})))
    except subprocess.TimeoutExpired:
        return None, b"", f"nasc timed out after {TIMEOUT}s".encode()
    return p.returncode, p.stdout, p.stderr


def _loc_of(obj):
    """Line, column and file of a diagnostic or note, whatever nesting the JSON uses."""
    for key in ("loc", "location", "range", "start", "span"):
        inner = obj.get(key)
        if isinstance(inner, dict):
            line, col, file = _loc_of(inner)
            if line is not None:
                return line, col, file if file is not None else obj.get("file")
    line = obj.get("line")
    col = obj.get("col", obj.get("column"))
    file = obj.get("file", obj.get("path"))
    return line, col, file


def parse_diagnostics(text):
    """The JSON diagnostics nasc printed: a list, an object with "diagnostics", or JSON lines."""
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = [json.loads(l) for l in text.splitlines() if l.strip().startswith("{")]
    if isinstance(data, dict):
        data = data.get("diagnostics", [data] if "code" in data or "level" in data else [])
    out = []
    for d in data:
        line, col, file = _loc_of(d)
        notes = []
        for n in d.get("notes", []) or []:
            nl, nc, nf = _loc_of(n)
            notes.append({"level": "note", "code": None, "line": nl, "col": nc, "file": nf,
                          "msg": n.get("message", n.get("msg", ""))})
        out.append({"level": str(d.get("level", d.get("severity", "?"))).lower(),
                    "code": d.get("code"), "line": line, "col": col, "file": file,
                    "msg": d.get("message", d.get("msg", "")), "notes": notes})
    return out


def extract_diagnostics(stdout, stderr):
    """JSON diagnostics may go to either stream; the one that parses as JSON holds them."""
    errors = []
    for stream in (stderr, stdout):
        s = stream.decode("utf-8", errors="replace").strip()
        if not s or s[0] not in "[{":
            continue
        try:
            return parse_diagnostics(s), None
        except (json.JSONDecodeError, AttributeError, TypeError) as e:
            errors.append(str(e))
    return [], ("; ".join(errors) if errors else None)


def fmt(d):
    where = f"{d['line']}:{d['col']}" if d.get("line") is not None else "(no location)"
    if d.get("file"):
        where = f"{d['file']}:{where}"
    code = f" {d['code']}" if d.get("code") else ""
    msg = f"  -- {d['msg']}" if d.get("msg") else ""
    return f"{d['level']}{code} at {where}{msg}"


def matches(exp, got):
    if exp["level"] != got["level"]:
        return False
    if exp["code"] and exp["code"] != got["code"]:
        return False
    if exp["line"] is not None and (exp["line"], exp["col"]) != (got["line"], got["col"]):
        return False
    if exp["file"]:
        gf = (got.get("file") or "").replace("\\", "/")
        if not (gf == exp["file"] or gf.endswith("/" + exp["file"])):
            return False
    return True


def compare(spec, diags, problems):
    """Errors and warnings: exact multiset. Notes: each expected one must exist."""
    main = [d for d in diags if d["level"] in ("error", "warning")]
    notes = [n for d in diags for n in d["notes"]] + [d for d in diags if d["level"] == "note"]
    want = [e for e in spec["expect"] if e["level"] != "note"]
    unmatched = list(main)
    missing = []
    for e in want:
        hit = next((g for g in unmatched if matches(e, g)), None)
        if hit is None:
            missing.append(e)
        else:
            unmatched.remove(hit)
    note_missing = [e for e in spec["expect"] if e["level"] == "note"
                    and not any(matches(e, n) for n in notes)]
    if spec["no_diags"] and diags:
        problems.append("expected no diagnostics at all (expect-no-diagnostics)")
    if missing or unmatched or note_missing:
        lines = []
        for e in missing + note_missing:
            lines.append(f"  MISSING   {fmt(e)}   (case line {e['src']})")
        for g in unmatched:
            lines.append(f"  UNEXPECTED {fmt(g)}")
        lines.append("  expected:")
        lines += [f"    {fmt(e)}" for e in spec["expect"]] or ["    (no errors or warnings)"]
        lines.append("  got:")
        for d in diags:
            lines.append(f"    {fmt(d)}")
            lines += [f"      note at {n['line']}:{n['col']}  -- {n['msg']}" for n in d["notes"]]
        if not diags:
            lines.append("    (no diagnostics)")
        problems.append("diagnostics differ:\n" + "\n".join(lines))


def check_roundtrip(nasc, case, work, problems, env):
    """`nasc --emit=source` of the emitted text gives the same text (a fixpoint), exit 0 both times.
    The emitted file is written beside a link to tests/lang/modules so `use "./modules/..."` resolves."""
    rc, out1, err1 = run(nasc, ["--emit=source", case], env)
    if rc != 0:
        problems.append(f"roundtrip: `nasc --emit=source {case}` exited {rc}:\n{err1.decode(errors='replace')}")
        return
    rt_dir = os.path.join(work, "roundtrip")
    os.makedirs(rt_dir, exist_ok=True)
    link = os.path.join(rt_dir, "modules")
    src_modules = os.path.join(os.path.dirname(os.path.abspath(case)), "modules")
    if os.path.isdir(src_modules) and not os.path.lexists(link):
        os.symlink(src_modules, link)
    emitted = os.path.join(rt_dir, os.path.basename(case))
    with open(emitted, "wb") as f:
        f.write(out1)
    rc, out2, err2 = run(nasc, ["--emit=source", emitted], env)
    if rc != 0:
        problems.append(f"roundtrip: re-emitting the emitted source exited {rc}:\n"
                        f"{err2.decode(errors='replace')}\n--- emitted text ({emitted}) ---\n"
                        f"{out1.decode(errors='replace')}")
    elif out1 != out2:
        import difflib
        diff = difflib.unified_diff(out1.decode(errors="replace").splitlines(),
                                    out2.decode(errors="replace").splitlines(),
                                    "emit", "emit-of-emit", lineterm="")
        problems.append("roundtrip: --emit=source is not a fixpoint:\n" + "\n".join(diff))


def run_case(nasc, case, work):
    spec = parse_case(case)
    try:
        path = make_input(spec, case, work)
    except SkipCase as e:
        print(f"SKIP {case}: {e}")
        return SKIP
    here = os.path.dirname(os.path.abspath(case))
    args = [a.replace("{file}", path).replace("{dir}", here) for a in (spec["args"] or ["--diagnostics=json", "{file}"])]
    rc, out, err = run(nasc, args, spec["env"])
    problems = []
    has_errors = any(e["level"] == "error" for e in spec["expect"])
    json_mode = "--diagnostics=json" in args
    if json_mode:
        diags, perr = extract_diagnostics(out, err)
        if perr:
            problems.append(f"could not parse JSON diagnostics: {perr}")
        compare(spec, diags, problems)
    elif spec["expect"] or spec["no_diags"]:
        raise CaseError(f"{case}: `expect:` lines need --diagnostics=json in `args:`")
    want_rc = spec["exit"] if spec["exit"] is not None else (1 if has_errors else 0)
    if rc != want_rc:
        problems.append(f"exit status: expected {want_rc}, got {rc}")
    stdout = out.decode("utf-8", errors="replace")
    stderr = err.decode("utf-8", errors="replace")
    for s in spec["output"]:
        if s not in stdout:
            problems.append(f"stdout lacks expected substring {s!r}")
    for s in spec["stderr"]:
        if s not in stderr:
            problems.append(f"stderr lacks expected substring {s!r}")
    if "\x1b[" in stdout + stderr and not any(a.startswith("--colo") for a in args):
        problems.append("ANSI colour escapes in output that is not a terminal")
    if "AddressSanitizer" in stderr or "runtime error:" in stderr:
        problems.append("sanitizer report on stderr")
    roundtrip = spec["roundtrip"]
    if roundtrip is None:
        roundtrip = (not has_errors and spec["args"] is None and spec["input"] is None
                     and spec["input_bytes"] is None)
    if roundtrip and not problems:
        check_roundtrip(nasc, path, work, problems, spec["env"])
    if problems:
        print(f"FAIL {case}")
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in spec["env"].items())
        print(f"  command: {env + ' ' if env else ''}{shlex.join([nasc] + args)}   (exit {rc})")
        for p in problems:
            print("  " + p.replace("\n", "\n  "))
        if stderr.strip():
            print("  --- stderr ---\n  " + stderr.strip().replace("\n", "\n  ")[:4000])
        return 1
    print(f"PASS {case}")
    return 0


def run_example(nasc, path):
    """An example compiles: exit 0 and no error diagnostic (warnings are printed, allowed)."""
    rc, out, err = run(nasc, ["--diagnostics=json", path])
    diags, perr = extract_diagnostics(out, err)
    errors = [d for d in diags if d["level"] == "error"]
    if rc != 0 or errors or perr:
        print(f"FAIL {path}: exit {rc}, {len(errors)} error(s)")
        for d in diags:
            print("  " + fmt(d))
        if perr:
            print("  could not parse JSON diagnostics: " + perr)
        print(err.decode(errors="replace")[:4000])
        return 1
    for d in diags:
        print("  " + fmt(d))
    print(f"PASS {path}")
    return 0


def _c_string(lits):
    """The value of adjacent C string literals ("a" "b"), with their escapes undone."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lits)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), "".join(parts))


def run_snippet(nasc, doc, prelude, work):
    """The first ```nas block of a Markdown file, after a prelude, compiles with no error."""
    with open(doc, encoding="utf-8") as f:
        m = re.search(r"^```nas\n(.*?)^```", f.read(), re.S | re.M)
    if not m:
        print(f"FAIL {doc}: no ```nas block")
        return 1
    with open(prelude, encoding="utf-8") as f:
        text = f.read() + "\n" + m.group(1)
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, os.path.splitext(os.path.basename(doc))[0] + "_snippet.nas")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return run_example(nasc, path)


def def_codes(def_path):
    """(code, summary, explanation) of every DIAG(...) entry of diag_codes.def."""
    with open(def_path, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    lit = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
    return [(code, _c_string(summary), _c_string(expl)) for code, summary, expl in
            re.findall(r"DIAG\(\s*\d+\s*,\s*(NAS\d{4})\s*,\s*" + lit + r",\s*" + lit + r"\)", text)]


def check_coverage(def_path, cases_dir):
    """Fails when a code of diag_codes.def has no `expect: error|warning NASxxxx at L:C` in a case
    (00xx codes, about a whole file, may omit `at`)."""
    codes = [c for c, _, _ in def_codes(def_path)]
    if not codes:
        print(f"FAIL: no DIAG(...) entries found in {def_path}")
        return 1
    seen = {}
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".nas"):
            continue
        for e in parse_case(os.path.join(cases_dir, name))["expect"]:
            # A position is required, except for 00xx: errors about a whole input file.
            if e["code"] and e["level"] != "note" and (e["line"] is not None or e["code"] < "NAS0100"):
                seen.setdefault(e["code"], []).append(name)
    missing = [c for c in codes if c not in seen]
    print(f"{len(codes) - len(missing)} of {len(codes)} codes in {os.path.basename(def_path)} have a case")
    if missing:
        print("FAIL: codes with no tests/lang case (add a file with `// expect: error CODE at L:C`):")
        for c in missing:
            print("  " + c)
        return 1
    return 0


def check_explain(nasc, def_path):
    """`nasc --explain CODE` exits 0 and prints the code's paragraph from diag_codes.def."""
    failed = []
    entries = def_codes(def_path)
    for code, summary, expl in entries:
        text = expl
        rc, out, err = run(nasc, ["--explain", code])
        got = " ".join(out.decode(errors="replace").split())
        if rc != 0 or " ".join(text.split())[:60] not in got or code not in got:
            failed.append(f"{code}: exit {rc}, stdout {out.decode(errors='replace')[:200]!r}")
    rc, out, err = run(nasc, ["--explain", "NAS9999"])
    if rc == 0:
        failed.append("`--explain NAS9999` (unknown code) exited 0")
    print(f"explain: {len(entries) - len(failed)} of {len(entries)} codes print their paragraph")
    for f in failed:
        print("FAIL " + f)
    return 1 if failed or not entries else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nasc")
    ap.add_argument("--work", default=None, help="scratch dir for generated inputs (default: next to nasc)")
    ap.add_argument("--example", action="store_true")
    ap.add_argument("--coverage", metavar="DEF")
    ap.add_argument("--explain-all", metavar="DEF")
    ap.add_argument("--snippet", metavar="MARKDOWN")
    ap.add_argument("--prelude", metavar="NAS")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args(argv)
    try:
        if a.coverage:
            return check_coverage(a.coverage, a.paths[0])
        if not a.nasc:
            ap.error("--nasc is required")
        if a.explain_all:
            return check_explain(a.nasc, a.explain_all)
        if a.snippet:
            return run_snippet(a.nasc, a.snippet, a.prelude, a.work or ".")
        status = 0
        for p in a.paths:
            if a.example:
                status |= run_example(a.nasc, p)
            else:
                stem = os.path.splitext(os.path.basename(p))[0]
                work = os.path.join(a.work or os.path.join(os.path.dirname(a.nasc), "lang-work"), stem)
                r = run_case(a.nasc, p, work)
                status = r if status == 0 else status
        return status
    except CaseError as e:
        print(f"FAIL (bad case): {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
