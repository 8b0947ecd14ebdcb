#!/usr/bin/env python3
"""check_layers.py SOURCE BUILD — the code has one direction.

1. Includes: a folder of compiler/ or runtime/ depends on another when one of its files includes a
   header that lives there. That folder graph must have no circle (the one allowed is the backend
   registry and its CUDA plug-in: runtime/backend <-> runtime/cuda).
2. Symbols: a static library depends on another when one of its objects calls a function defined
   there (nm). That library graph must have no circle either: a call back up a layer is a circle
   even when no header shows it.
3. The model interpreter is a leaf: compiler/model's eval*.o call nothing that check*.o or model.o
   define (they reach their clients through the hooks in Eval).
Prints each circle found with the files or symbols that make it; exits 1 if there is one."""
import os, re, subprocess, sys
from collections import defaultdict

src, build = sys.argv[1], sys.argv[2]
ALLOWED = {frozenset(("runtime/backend", "runtime/cuda"))}
failures = []

def cycles(graph):
    """Every elementary circle's node list, found by DFS from each node (graphs here are small)."""
    found = set()
    out = []
    def dfs(start, node, path, seen):
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                key = frozenset(path)
                if key not in found:
                    found.add(key); out.append(path + [start])
            elif nxt not in seen and nxt > start:
                dfs(start, nxt, path + [nxt], seen | {nxt})
    for n in sorted(graph):
        dfs(n, n, [n], {n})
    return out

# 1. includes
folders = [os.path.join(top, d) for top in ("compiler", "runtime")
           for d in sorted(os.listdir(os.path.join(src, top))) if os.path.isdir(os.path.join(src, top, d))]
where = {}
for f in folders:
    for name in os.listdir(os.path.join(src, f)):
        if name.endswith(".h"):
            where.setdefault(name, f)
inc = defaultdict(set); why = {}
for f in folders:
    for name in sorted(os.listdir(os.path.join(src, f))):
        if not name.endswith((".c", ".h")):
            continue
        for line in open(os.path.join(src, f, name), errors="replace"):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and os.path.basename(m.group(1)) in where:
                g = where[os.path.basename(m.group(1))]
                if g != f:
                    inc[f].add(g); why.setdefault((f, g), "%s/%s includes %s" % (f, name, m.group(1)))
for c in cycles(inc):
    if len(c) == 3 and frozenset(c[:2]) in ALLOWED:
        continue
    failures.append("include circle: " + " -> ".join(c) + "\n    " +
                    "\n    ".join(why[(a, b)] for a, b in zip(c, c[1:])))

# 2. and 3. symbols
def nm(path, *flags):
    r = subprocess.run(["nm", "-A", *flags, path], capture_output=True, text=True)
    return r.stdout.splitlines()
libs = {}
for root, _, files in os.walk(build):
    for name in files:
        m = re.fullmatch(r"libnas_(\w+)\.a", name)
        if m and "tests" not in root:
            libs[m.group(1)] = os.path.join(root, name)
if len(libs) < 10:
    failures.append("found only %d nas_* libraries under %s: build first" % (len(libs), build))
defined = {}; obj_defs = defaultdict(set)
for lib, path in libs.items():
    for line in nm(path, "-g", "--defined-only"):
        parts = line.split()
        if len(parts) >= 3 and parts[-2] in "TDBRVW":
            obj = line.split(":")[1]
            defined.setdefault(parts[-1], lib); obj_defs[(lib, obj)].add(parts[-1])
dep = defaultdict(set); swhy = {}; obj_undef = defaultdict(set)
for lib, path in libs.items():
    for line in nm(path, "-u"):
        sym = line.split()[-1]
        obj = line.split(":")[1]
        obj_undef[(lib, obj)].add(sym)
        owner = defined.get(sym)
        if owner and owner != lib:
            dep[lib].add(owner); swhy.setdefault((lib, owner), "%s (%s) calls %s" % (lib, obj, sym))
for c in cycles(dep):
    failures.append("library circle: " + " -> ".join("nas_" + x for x in c) + "\n    " +
                    "\n    ".join(swhy[(a, b)] for a, b in zip(c, c[1:])))
if "model" in libs:
    clients = set()
    for (lib, obj), syms in obj_defs.items():
        if lib == "model" and not obj.startswith("eval"):
            clients |= syms
    for (lib, obj), syms in obj_undef.items():
        if lib == "model" and obj.startswith("eval"):
            bad = sorted(syms & clients)
            if bad:
                failures.append("the interpreter calls its clients: %s calls %s" % (obj, ", ".join(bad)))

for f in failures:
    print("FAIL:", f)
print("check_layers: %d folders, %d libraries, %s" % (len(folders), len(libs), "FAILED" if failures else "ok"))
sys.exit(1 if failures else 0)
