"""test_store_rows.py — what the SQLite store gives back is validated, views never write, and a
store damaged under a running search ends it with exit 2.

- A row tampered with (a crafted file): state outside the enum, NULL arch_id, seq near
  INT64_MAX, a heartbeat in the future, Infinity or trailing garbage or binary bytes in the
  metrics: --status, --top, --export json and a resumed search each exit 2 with a message that
  names the store file and the row (before: SIGSEGV, UBSan overflow, "beat -998203837436 s
  ago" refusing the experiment, invalid JSON exported).
- A trainer printing binary bytes and a huge number in its report: --export json is UTF-8
  JSON that Python's strict parser reads.
- An SQLite file with another program's table: refused as "not a nas trial store" by a search
  and by a view, and left as it was (no nas tables added, journal mode unchanged).
- A view of a store writes nothing: the file's bytes and its journal mode stay, no -wal file.
- Pages overwritten while a search runs: the search exits 2 saying the store is damaged
  (before: exit 0), and a view then says so too."""
import hashlib, json, os, shutil, sqlite3, subprocess, time
import nastest as T


def run(args, check_rc=None):
    """T.run, but what nasrun prints is decoded leniently: a tampered store may hold any bytes."""
    p = subprocess.run([T.NASRUN] + args, capture_output=True, env=T.env(), timeout=300)
    p.stdout, p.stderr = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    T.sanitizer_clean(p.stderr, f"nasrun {' '.join(args)}")
    if check_rc is not None:
        T.check(p.returncode == check_rc, f"nasrun {' '.join(args)}: exit {p.returncode}, expected {check_rc}: "
                f"{p.stderr[-800:]}")
    return p


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def fresh_store(trials=3):
    d = T.workdir()
    f = T.space_file(d, trials=trials)
    run([f], check_rc=0)
    return f, f[:-4] + ".nasdb"


def loosen(db):
    """The trial table without its NOT NULL constraints: what a crafted file may hold."""
    cols = [r[1] for r in db.execute("PRAGMA table_info(trial)")]
    db.executescript("ALTER TABLE trial RENAME TO trial_old; CREATE TABLE trial(" + ", ".join(cols) + ");"
                     "INSERT INTO trial SELECT * FROM trial_old; DROP TABLE trial_old;")


# ---- tampered rows ----
base_f, base_store = fresh_store()
TAMPER = {   # name: (SQL on the row of seq 1, what the message says)
    "state": ("state = 9", "state is not a trial state"),
    "state_text": ("state = 'done'", "state is not a trial state"),
    "null_arch": ("arch_id = NULL", "no arch_id"),
    "seq_max": ("seq = 9223372036854775807", "seq out of range"),
    "future_beat": ("state = 0, heartbeat = 1e12", "time is not a time"),
    "future_beat_near": ("state = 0, heartbeat = strftime('%s', 'now') + 86400", "heartbeat is in the future"),
    "metrics_inf": ("metrics = '{\"accuracy\": Infinity}'", "metrics are not a JSON object"),
    "metrics_trailing": ("metrics = '{\"accuracy\": 0.5} garbage'", "metrics are not a JSON object"),
    "metrics_binary": ("metrics = CAST(X'7B2261223A2022FF22207D' AS TEXT)", "metrics are not a JSON object"),
    "curve_object": ("curve = '{}'", "curve is not a JSON array"),
    "blob_reason": ("reason = X'00FF'", "a text column holds a blob"),
}
for name, (sql, why) in TAMPER.items():
    d = T.workdir()
    f = os.path.join(d, "space.nas")
    shutil.copy(base_f, f)            # the same source (its trainer stays in base_f's directory)
    store = f[:-4] + ".nasdb"
    shutil.copy(base_store, store)
    db = sqlite3.connect(store)
    loosen(db)
    row = db.execute("SELECT id FROM trial WHERE seq = 1").fetchone()[0]
    db.execute(f"UPDATE trial SET {sql} WHERE id = {row}")
    db.commit()
    db.close()
    for args in (["--status"], ["--top", "3"], ["--export", "json"], []):
        p = run([f] + args)
        T.no_crash(p, f"{name} {args}")
        msg = p.stderr
        T.check(p.returncode == 2, f"{name} {args}: exit {p.returncode}: {msg[-500:]}")
        T.check(store in msg and f"trial row id {row}" in msg and why in msg,
                f"{name} {args}: message lacks the store, row {row} or {why!r}: {msg[-500:]}")
        T.check("ago" not in p.stdout, f"{name} {args}: showed the tampered row: {p.stdout[-300:]}")

# ---- what a trainer prints is stored normalised: the export is strict JSON ----
d = T.workdir()
f = T.space_file(d, trials=2)
with open(os.path.join(d, "trainer.sh"), "w") as t:
    t.write("printf '{\"accuracy\": 0.5, \"note\": \"\\377\\376 bytes\", \"big\": 1e308, \"tiny\": 1e-400}\\n'\n")
run([f], check_rc=0)
p = subprocess.run([T.NASRUN, f, "--export", "json"], capture_output=True, env=T.env(), timeout=60)
T.check(p.returncode == 0, f"export: exit {p.returncode}: {p.stderr[-500:]}")
try:
    rows = json.loads(p.stdout.decode("utf-8"))     # strict: invalid UTF-8 or Infinity fail here
    T.check(len(rows) == 2 and rows[0]["metrics"]["accuracy"] == 0.5, f"export rows: {rows}")
    T.check("\ufffd" in rows[0]["metrics"]["note"], f"export: the bytes were not replaced: {rows[0]['metrics']}")
except (UnicodeDecodeError, ValueError) as e:
    T.check(False, f"--export json is not UTF-8 JSON ({e}): {p.stdout[:300]!r}")

# ---- another program's SQLite file: refused, and left as it was ----
d = T.workdir()
f = T.space_file(d, trials=1)
other = os.path.join(d, "other.db")
db = sqlite3.connect(other)
db.execute("CREATE TABLE users(name TEXT)")
db.commit()
db.close()
before = md5(other)
for args in ([], ["--status"], ["--export", "csv"]):
    p = run([f, "--store", other] + args, check_rc=2)
    T.check("not a nas trial store" in p.stderr and "users" in p.stderr and other in p.stderr,
            f"foreign file {args}: {p.stderr[-400:]}")
T.check(md5(other) == before and not os.path.exists(other + "-wal"), "foreign file: it was written to")
T.check(T.rows(other, "SELECT name FROM sqlite_master") == [("users",)], "foreign file: tables were added")

# ---- views never write ----
f, store = fresh_store(trials=2)
db = sqlite3.connect(store)
db.execute("PRAGMA journal_mode = DELETE")
db.close()
before = md5(store)
for args in (["--status"], ["--top", "2"], ["--export", "json"], ["--experiments"]):
    run([f] + args, check_rc=0)
T.check(md5(store) == before, "a view changed the store file")
T.check(not os.path.exists(store + "-wal"), "a view switched the store to WAL")
T.check(T.rows(store, "PRAGMA journal_mode") == [("delete",)], "a view changed the journal mode")
empty = os.path.join(T.workdir(), "empty.nasdb")
open(empty, "w").close()
p = run([f, "--store", empty, "--status"], check_rc=2)
T.check("no trial store here" in p.stderr and os.path.getsize(empty) == 0, f"empty store: {p.stderr[-300:]}")

# ---- a store damaged under a running search ----
d = T.workdir()
f = T.space_file(d, trials=6)
store = f[:-4] + ".nasdb"
p = T.start([f], {"SLEEP": "0.4"})


def finished():
    try:
        return T.rows(store, "SELECT count(*) FROM trial WHERE state <> 0")[0][0] >= 2
    except sqlite3.Error:
        return False


T.check(T.wait_for(finished, 60), "damaged under the search: no trial finished")
db = sqlite3.connect(store)
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # every page in the file, then the file damaged
db.close()
size = os.path.getsize(store)
with open(store, "r+b") as s:        # every page but the header's, as a failing disk might
    s.seek(4096)
    s.write(os.urandom(size - 4096))
rc = p.wait(timeout=120)
out = T.output(p)
T.check(rc == 2, f"damaged under the search: exit {rc}: {out[-600:]}")
T.check("damaged" in out and store in out, f"damaged under the search: no message: {out[-600:]}")
q = run([f, "--status"], check_rc=2)
T.check("damaged" in q.stderr or "malformed" in q.stderr, f"damaged store view: {q.stderr[-400:]}")
T.no_crash(q, "damaged store view")

T.finish("store_rows")
