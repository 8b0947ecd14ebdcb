"""test_report_html.py — the HTML report in a real browser. A two-objective search (30 trials;
its report refreshed every 10 results while it runs,
some answered from the store, two failing with hostile text in their reasons: markup, quotes,
a byte that is not UTF-8) and a train stage of its best 5. Headless Chromium loads the report
a finished search leaves beside its store, with no console message (a copy that fetches an
image must log one: the check can fail), takes a screenshot, and dumps the DOM; the test
counts the plots' marks against the store, recomputes the summary, the hypervolume, the rank
correlations and the playbook checks from the store (sqlite3), and finds the hostile text as
text, never as markup."""
import math, os, shutil, sqlite3, subprocess, tempfile
from html.parser import HTMLParser
import nastest as T

TRAINER = r'''
d=$NAS_DECISIONS
n=${d#*\"n\": }; n=${n%%[,\}]*}
w=${d#*\"w\": }; w=${w%%[,\}]*}
if [ "$NAS_STAGE" = 1 ]; then
    case $NAS_TRIAL_SEQ in       # two trials that the controller's seed 3 does not answer from the store
        4) printf '{"status": "error", "reason": "</title><script>alert(1)</script> & \\"q\\" <b>x</b>"}\n'; exit 0 ;;
        13) cp space.html seen.html        # the report refreshed while the search runs
            printf 'bad \377 byte <i>&amp;</i>\n'; exit 0 ;;
    esac
    acc=$((200 + 150 * n + 10 * w))
else
    acc=$((200 + 150 * n + 10 * (9 - w)))
fi
printf '{"accuracy": 0.%03d, "params": %d, "curve": [{"epoch": 1, "val_acc": 0.%03d}, {"epoch": 2, "val_acc": 0.%03d}]}\n' \
    $acc $((n * w * 100 + 50)) $((acc / 2)) $acc
'''
SPACE = '''use std.layers

dataset d {
    format  synthetic(n = 100, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    let n = choice n 1 .. 4
    let w = choice w [1, 2, 3, 4, 5, 6, 7, 8]
    repeat n { x = x |> dense(w * 4) |> relu }
    return dense(x, 2)
}

reward {
    maximize accuracy ref 0.2
    minimize params ref 4000
}

controller {
    algorithm random
    seed      3
}

trainer t {
    exec ". ./trainer.sh"
}

search s {
    data       d.train split 90% / 10%
    trials     30
    max_failed 15
}

train full {
    from   s top 5
    data   d.train / d.test
    epochs 2
}
'''
VALUES = {"n": ["1", "2", "3", "4"], "w": [str(v) for v in range(1, 9)]}
DONE, INFEASIBLE, FAILED, CACHED = T.DONE, T.INFEASIBLE, T.FAILED, T.CACHED

d = T.workdir()
open(os.path.join(d, "trainer.sh"), "w").write(TRAINER)
f = os.path.join(d, "space.nas")
open(f, "w").write(SPACE)
p = T.run([f, "--quiet"], check_rc=0)
report = os.path.join(d, "space.html")
T.check("report: " + report in p.stdout, f"the search does not name its report: {p.stdout[-300:]}")
T.check(os.path.exists(report), "no report beside the store")

db = sqlite3.connect(os.path.join(d, "space.nasdb"))
db.text_factory = lambda b: b.decode("utf-8", "replace")
import json
rows = db.execute("SELECT stage, seq, state, reward, arch_id, decisions, metrics, reason, started, finished "
                  "FROM trial ORDER BY stage, seq").fetchall()
db.close()
stage = {s: [r for r in rows if r[0] == s] for s in (1, 2)}
T.check(any(r[2] == CACHED for r in stage[1]) and sum(r[2] == FAILED for r in stage[1]) == 2,
        f"the search is not the one this test needs: states {[r[2] for r in stage[1]]}")

# the report was refreshed after the 10th result, while the search ran: 10 trials in it
seen = os.path.join(d, "seen.html")
seen = open(seen).read().split('id="curve-s1"')[-1].split("</svg>")[0] if os.path.exists(seen) else ""
marks = (seen.count("<circle"), seen.count('class="x'))
T.check(sum(marks) == 10, f"the report seen during the search shows {marks[0]} points and {marks[1]} failures, not 10")

# --report FILE writes the same document (but for its time line)
out = os.path.join(d, "again.html")
q = T.run([f, "--report", out], check_rc=0)
strip = lambda t: "\n".join(l for l in t.splitlines() if ", written " not in l)
T.check(os.path.exists(out) and strip(open(out).read()) == strip(open(report).read()),
        "--report FILE differs from the report the search wrote")

# a report that cannot be written: a warning after a complete search (exit 0), an error (exit 2,
# naming the file) for --report
d2 = T.workdir()
f2 = T.space_file(d2, trials=3)
os.mkdir(os.path.join(d2, "space.html"))
p2 = T.run([f2, "--quiet"], check_rc=0)
T.check("no HTML report written" in p2.stderr and "space.html" in p2.stderr, f"unwritable report: {p2.stderr[-400:]}")
bad_path = os.path.join(d2, "no", "such", "r.html")
p3 = T.run([f2, "--report", bad_path], check_rc=2)
T.check(bad_path in p3.stderr, f"--report to a missing directory: {p3.stderr[-300:]}")

# --- the browser ---
chromium = shutil.which("chromium")
T.check(chromium is not None, "no chromium (Debian package chromium, .ci/setup-test)")


def browse(url, *flags):
    """Runs headless Chromium on url; (stdout, its CONSOLE log lines)."""
    profile = tempfile.mkdtemp(prefix="nas-chromium-", dir=d)
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", *flags, url],
                       capture_output=True, text=True, timeout=120, errors="replace")
    return r.stdout, [l for l in r.stderr.splitlines() if "CONSOLE" in l]


bad = os.path.join(d, "bad.html")
open(bad, "w").write(open(report).read().replace("<h1>", '<img src="http://example.invalid/x.png"><h1>', 1))
dom = ""
if chromium:
    _, console = browse("file://" + bad, "--dump-dom")
    T.check(console, "a report that fetches an image logged no console message: the console check cannot fail")
    shot = os.path.join(d, "report.png")
    dom, console = browse("file://" + report, "--dump-dom", "--screenshot=" + shot, "--window-size=1200,3000")
    T.check(not console, f"console messages while loading the report: {console}")
    T.check(os.path.exists(shot) and os.path.getsize(shot) > 20000, "no screenshot of the report")
    T.check("</svg>" in dom, f"the browser's DOM has no SVG: {dom[:300]}")


class Dom(HTMLParser):
    """The marks of each SVG (tag and class, by the SVG's id), the text of table cells, and
    whether any element is a script."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svg, self.marks, self.scripts = None, {}, 0
        self.tables, self.table, self.row, self.cell = {}, None, None, None
        self.items, self.li, self.text = [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "svg":
            self.svg = a.get("id")
            self.marks[self.svg] = []
        elif self.svg:
            self.marks[self.svg].append((tag, a.get("class", "")))
        if tag == "table":
            self.table = a.get("id")
            self.tables[self.table] = []
        if tag == "tr" and self.table:
            self.row = []
            self.tables[self.table].append(self.row)
        if tag in ("td", "th") and self.row is not None:
            self.cell = []
        if tag == "li":
            self.li = (a, [])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        if tag == "table":
            self.table = None
        if tag == "li" and self.li:
            self.items.append((self.li[0], "".join(self.li[1])))
            self.li = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.li:
            self.li[1].append(data)
        self.text.append(data)


P = Dom()
P.feed(dom)
text = "".join(P.text)
count = lambda svg, tag, cls=None: sum(1 for t, c in P.marks.get(svg, []) if t == tag and (cls is None or cls in c.split()))

# escaping: the hostile reasons are text, nothing of them became an element
T.check(P.scripts == 0, f"{P.scripts} script elements in the report")
T.check('</title><script>alert(1)</script> & "q" <b>x</b>' in text, "the markup in a failure reason is not shown as text")
T.check("bad \ufffd byte <i>&amp;</i>" in text, "the byte that is not UTF-8 is not shown as U+FFFD")

# search curve: a point per trial with a reward, a cross per failed trial
with_reward = [r for r in stage[1] if r[2] in (DONE, INFEASIBLE, CACHED) and r[3] is not None]
T.check(count("curve-s1", "circle") == len(with_reward) > 0,
        f"search curve: {count('curve-s1', 'circle')} points, store {len(with_reward)}")
T.check(count("curve-s1", "circle", "cached") == sum(r[2] == CACHED for r in with_reward), "search curve: cached points")
T.check(count("curve-s1", "path", "x") == 2, f"search curve: {count('curve-s1', 'path', 'x')} failure marks, not 2")
T.check(count("curve-s1", "polyline", "best") == 1, "search curve: no best-so-far line")

# Pareto front: a point per done trial, the front as the store's metrics say, the hypervolume
done1 = [r for r in stage[1] if r[2] == DONE]
pts = [(json.loads(r[6])["accuracy"], json.loads(r[6])["params"]) for r in done1]
front = [a for a in pts if not any(b[0] >= a[0] and b[1] <= a[1] and b != a for b in pts)]
T.check(count("pareto-s1", "circle") == len(pts), f"Pareto: {count('pareto-s1', 'circle')} points, store {len(pts)}")
T.check(count("pareto-s1", "circle", "front") == len(front),
        f"Pareto: {count('pareto-s1', 'circle', 'front')} front points, store {len(front)}")
hv, best_p = 0.0, 4000.0
for acc, par in sorted(front, key=lambda a: -a[0]):       # best accuracy first: params fall along the front
    if acc > 0.2 and par < best_p:
        hv += (acc - 0.2) * (best_p - par)
        best_p = par
hv_text = [t for t in dom.split('class="hv">')[1:2]]
T.check(hv_text and abs(float(hv_text[0].split("<")[0]) - hv) <= 1e-5 * max(1, hv),
        f"hypervolume {hv_text[:1]}, from the store {hv:.6g}")

# decisions: a bar per value of each, a line per done trial in the parallel coordinates
T.check(count("dec-s1-0", "rect", "bar") == 4 and count("dec-s1-1", "rect", "bar") == 8,
        f"decision bars {count('dec-s1-0', 'rect', 'bar')}, {count('dec-s1-1', 'rect', 'bar')}")
T.check(count("pc-s1", "polyline", "pc") == len(done1), f"parallel coordinates: {count('pc-s1', 'polyline', 'pc')} lines")

# training curves: the best ten of each stage
T.check(count("curves-s1", "polyline") == min(10, len(done1)), f"curves of stage 1: {count('curves-s1', 'polyline')}")
T.check(count("curves-s2", "polyline") == len(stage[2]), f"curves of stage 2: {count('curves-s2', 'polyline')}")

# stage 1 against stage 2: a point per architecture, the store's rank correlations
r1 = {r[4]: r[3] for r in done1}
pairs = [(r1[r[4]], r[3]) for r in stage[2] if r[2] == DONE and r[4] in r1]
def sign(x): return (x > 0) - (x < 0)
conc = sum(sign(a[0] - b[0]) * sign(a[1] - b[1]) for i, a in enumerate(pairs) for b in pairs[i + 1:])
n0 = sum(1 for i, a in enumerate(pairs) for b in pairs[i + 1:] if a[0] != b[0])
n1 = sum(1 for i, a in enumerate(pairs) for b in pairs[i + 1:] if a[1] != b[1])
tau = conc / math.sqrt(n0 * n1)
def ranks(v): return [sorted(v).index(x) + 1 for x in v]      # distinct rewards: no ties
rx, ry = ranks([a for a, _ in pairs]), ranks([b for _, b in pairs])
m = len(pairs)
rho = 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry)) / (m * (m * m - 1))
T.check(count("ranks-s2", "circle") == m == 5, f"ranks: {count('ranks-s2', 'circle')} points, {m} pairs")
tag = dom.split('id="rankcorr-s2"')[1].split(">")[0] if 'id="rankcorr-s2"' in dom else ""
got = {k: float(tag.split(f'data-{k}="')[1].split('"')[0]) for k in ("kendall", "spearman")} if tag else {}
T.check(got and abs(got["kendall"] - tau) < 1e-6 and abs(got["spearman"] - rho) < 1e-6,
        f"rank correlations {got}, from the store tau {tau}, rho {rho}")

# the summary table: every number as the store has it
summary = P.tables.get("summary", [])
T.check(len(summary) == 3, f"summary rows {summary}")
for row in summary[1:]:
    s = int(row[0])
    l = stage[s]
    cnt = [sum(r[2] == k for r in l) for k in range(6)]
    done = [r for r in l if r[2] == DONE]
    best = max(done, key=lambda r: r[3])
    secs = sum(r[9] - r[8] for r in l if r[9] and r[8])
    want = [str(s), "search" if s == 1 else "train", "s" if s == 1 else "full", str(len(l)), str(cnt[DONE]),
            str(cnt[T.RUNNING]), str(cnt[FAILED]), str(cnt[INFEASIBLE]), str(cnt[CACHED]), str(cnt[5])]
    T.check(row[:10] == want, f"summary stage {s}: {row[:10]}, store {want}")
    T.check(abs(float(row[10]) - best[3]) < 5e-7 and row[11] == best[4], f"summary best {row[10:12]}, store {best[3:5]}")
    T.check(abs(float(row[12]) - secs) < 0.006, f"summary seconds {row[12]}, store {secs}")

# failures by reason: the table adds up to the store's failures
failures = P.tables.get("failure-table", [])[1:]
T.check(sorted(int(r[0]) for r in failures) == [1, 1] and count("failures-bars", "rect", "bar") == 2,
        f"failures {failures}")

# the playbook's checks, recomputed: the best trials at a range's edge, a value barely tried
top = sorted(done1, key=lambda r: -r[3])
ntop = (len(top) + 9) // 10 if len(top) // 10 > 3 else 3
want_edge = set()
for name, vals in VALUES.items():
    v = [json.loads(r[5]).get(name) for r in top[:ntop]]
    lo, hi = int(vals[0]), int(vals[-1])
    e = lambda x: -1 if x == lo else 1 if x == hi else 0
    if e(v[0]) and 2 * sum(e(x) == e(v[0]) for x in v) >= ntop:
        want_edge.add(name)
want_sparse = set()
finished = [r for r in stage[1] if r[2] != T.RUNNING]
for name, vals in VALUES.items():
    seen = [str(json.loads(r[5])[name]) for r in finished]
    share = len(seen) / len(vals)
    want_sparse |= {(name, v) for v in vals if seen.count(v) < max(2, share / 4)}
edge = {a["data-decision"] for a, _ in P.items if "edge" in a.get("class", "")}
sparse = {(a["data-decision"], a["data-value"]) for a, _ in P.items if "sparse" in a.get("class", "")}
T.check(edge == want_edge and edge, f"edge checks {edge}, from the store {want_edge}")
T.check(sparse == want_sparse and sparse, f"sparse checks {sparse}, from the store {want_sparse}")

# cost: the trial-hours of each stage
cost = P.tables.get("cost", [])[1:]
for row in cost:
    l = stage[int(row[0])]
    trained = [r for r in l if r[2] not in (T.RUNNING, CACHED) and r[9]]
    T.check(int(row[1]) == len(trained) and abs(float(row[2]) - sum(r[9] - r[8] for r in trained) / 3600) < 6e-5,
            f"cost row {row}")

T.finish("test_report_html")
