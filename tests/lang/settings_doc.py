#!/usr/bin/env python3
"""settings_doc.py — docs/settings.md's tables are generated from the settings table nasc
checks against (`nasc --settings-doc`): every block between `<!-- settings: NAME -->` and
`<!-- end settings -->` in the doc must equal nasc's, and no block may be missing or extra.
--update rewrites the blocks in the doc from nasc's output."""
import argparse, re, subprocess, sys

BLOCK = re.compile(r"<!-- settings: (\S+) -->\n.*?<!-- end settings -->\n", re.S)

ap = argparse.ArgumentParser()
ap.add_argument("--nasc", required=True)
ap.add_argument("--doc", required=True)
ap.add_argument("--update", action="store_true")
a = ap.parse_args()
gen = subprocess.run([a.nasc, "--settings-doc"], capture_output=True, text=True, check=True).stdout
want = {m.group(1): m.group(0) for m in BLOCK.finditer(gen)}
doc = open(a.doc).read()
have = {m.group(1): m.group(0) for m in BLOCK.finditer(doc)}
if a.update:
    doc = BLOCK.sub(lambda m: want.get(m.group(1), m.group(0)), doc)
    open(a.doc, "w").write(doc)
    have = {m.group(1): m.group(0) for m in BLOCK.finditer(doc)}
bad = sorted(set(want) ^ set(have)) + sorted(k for k in want if k in have and want[k] != have[k])
for k in bad:
    missing, extra = "(missing)\n", "(not generated)\n"
    print(f"{a.doc}: block `{k}` differs from `nasc --settings-doc`:\n--- doc\n{have.get(k, missing)}"
          f"--- generated\n{want.get(k, extra)}")
if bad:
    print(f"regenerate with: python3 tests/lang/settings_doc.py --nasc build/bin/nasc --doc {a.doc} --update")
    sys.exit(1)
print(f"{a.doc}: {len(want)} generated blocks match")
