#!/usr/bin/env python3
"""coverage.py — fails naming every setting of the settings table that no run case covers.

Usage: coverage.py --nasc PATH CASE_DIR     (exit 0: every setting covered, 1: some not)

The settings are read from `nasc --settings-doc` (the tables generated from
compiler/sema/sema_settings.c: a `<!-- settings: DECL -->` marker, then one row a setting).
A case says what it covers with `// covers: search.epochs, train.data` lines; a case that names
a setting the table lacks is an error too (a renamed setting must not keep a stale claim).
"""
import argparse
import glob
import os
import re
import subprocess
import sys

# Settings no run case can show, each with its reason. Keep it short: a setting is here only
# while nasrun cannot run a declaration of it at all.
EXEMPT = {}
MARKER = re.compile(r"<!-- settings: (\w+) -->")
ROW = re.compile(r"^\| `(\w+)` \|")
COVERS = re.compile(r"//\s*covers:\s*(.*)$")


def table(nasc):
    doc = subprocess.run([nasc, "--settings-doc"], capture_output=True, text=True, check=True).stdout
    settings, decl = [], None
    for line in doc.splitlines():
        m = MARKER.search(line)
        if m:
            decl = m.group(1)
        elif line.startswith("<!-- end settings"):
            decl = None
        elif decl and line.startswith("| option |"):
            decl = None  # the optimizers' and schedules' options: values of settings, not settings
        elif decl and ROW.match(line):
            settings.append(f"{decl}.{ROW.match(line).group(1)}")
    return settings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nasc", required=True)
    ap.add_argument("cases")
    a = ap.parse_args()
    settings = table(a.nasc)
    if len(settings) < 20:  # the doc's layout changed: do not pass on an empty table
        print(f"coverage: only {len(settings)} settings read from nasc --settings-doc")
        return 1
    covered, bad = {}, []
    for case in sorted(glob.glob(os.path.join(a.cases, "*.nas"))):
        for n, line in enumerate(open(case, encoding="utf-8"), 1):
            m = COVERS.search(line)
            for s in (x.strip() for x in (m.group(1).split(",") if m else [])):
                if s not in settings:
                    bad.append(f"{os.path.basename(case)}:{n}: covers `{s}`, which is not a setting of the table")
                covered.setdefault(s, []).append(os.path.basename(case))
    bad += [f"`{s}` is exempt but not in the table" for s in EXEMPT if s not in settings]
    bad += [f"`{s}` is exempt ({EXEMPT[s]}) but {', '.join(covered[s])} covers it" for s in EXEMPT if s in covered]
    missing = [s for s in settings if s not in covered and s not in EXEMPT]
    for b in bad:
        print("FAIL:", b)
    for s in missing:
        print(f"FAIL: setting `{s}` is covered by no case of {a.cases} (add `// covers: {s}` to a case that shows its effect)")
    if bad or missing:
        return 1
    print(f"coverage: ok ({len(settings) - len(EXEMPT)} settings covered, {len(EXEMPT)} exempt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
