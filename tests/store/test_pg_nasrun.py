"""test_pg_nasrun.py — nasrun on a PostgreSQL store (run by with_pg.sh, which gives the server
in NAS_TEST_PG), with the instant external trainer of tests/e2e (its reward is known from the
decisions, so a result stored against another architecture is seen).

- Three nasrun processes started at once on one experiment, reaching the server three ways
  (--store over TCP, NAS_STORE over the unix socket, --store postgres://): each ends 0, or 2
  refused with a message (a proposal number another one claimed); a rerun finishes the search.
  The store ends with seqs 0..N-1 exactly once, all done, each with the reward of its own
  architecture; the views (--status, --export json) read it and write nothing.
- A nasrun killed with SIGKILL (with its trainers) mid-search and a second one started at once
  through the other address: the second takes over the dead one's running trials (attempts
  counted), never reruns a finished one, and the store ends as above.
- The server restarted under a running search: nasrun reconnects and the search completes
  (exit 0) with every trial stored as above.
- A second nasrun while one runs is refused (exit 2, "another nasrun").
- `--carry-over` on one PostgreSQL store: the new experiment begins with exactly the old done
  trials `nasc --diff` maps, under their new IDs with the old rewards, none trained again; a
  resume carries nothing again."""
import json, os, shlex, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import nastest as T

SERVER = os.environ.get("NAS_TEST_PG")
if not SERVER:
    print("test_pg_nasrun: run it with tests/store/with_pg.sh (NAS_TEST_PG is not set)")
    sys.exit(1)
SOCKET, PORT = os.environ["NAS_TEST_PG_SOCKET"], os.environ["NAS_TEST_PG_PORT"]
PSQL = "/usr/lib/postgresql/15/bin/psql"


def psql(db, sql):
    out = subprocess.run([PSQL, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", f"{SERVER}/{db}", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def output(p):
    try:
        return T.output(p)
    except OSError as e:         # its work directory was removed under the test
        return f"(no log: {e})"


def has_store(db):
    return psql(db, "SELECT to_regclass('trial') IS NOT NULL")[0][0] == "t"


def new_db(name):
    psql("postgres", f"CREATE DATABASE {name}")
    return f"{SERVER}/{name}", f"postgresql:///{name}?host={SOCKET}&port={PORT}&user=postgres"


def stage1(db):
    """(seq, arch_id, state, reward, decisions, attempts, finished) of the newest experiment's stage 1."""
    rows = psql(db, "SELECT seq, arch_id, state, coalesce(reward::text, ''), decisions, attempts, finished::text"
                    " FROM trial WHERE stage = 1 AND experiment = (SELECT max(id) FROM experiment) ORDER BY seq")
    return [(int(s), a, int(st), float(r) if r else None, json.loads(d), int(n), f) for s, a, st, r, d, n, f in rows]


def check_complete(name, db, n):
    rows = stage1(db)
    T.check([r[0] for r in rows] == list(range(n)), f"{name}: seqs {[r[0] for r in rows]}, expected 0..{n - 1}")
    T.check(all(r[2] in (T.DONE, T.CACHED) for r in rows), f"{name}: states {[T.STATES[r[2]] for r in rows]}; "
            f"reasons {psql(db, 'SELECT seq, reason FROM trial WHERE state > 1')}")
    wrong = [(r[0], r[1], r[3]) for r in rows if r[3] is None or abs(r[3] - T.known_reward(r[4])) > 1e-9]
    T.check(not wrong, f"{name}: rewards of another architecture (seq, arch, reward): {wrong}")
    T.check(int(psql(db, "SELECT count(*) FROM experiment")[0][0]) == 1, f"{name}: more than one experiment")
    return rows


def concurrent():
    name, n = "three at once", 16
    db = "concurrent"
    tcp, sock = new_db(db)
    d = T.workdir()
    f = T.space_file(d, trials=n, parallel=2, seed=3)
    procs = [T.start([f, "--store", tcp]), T.start([f], {"NAS_STORE": sock}),
             T.start([f, "--store", tcp.replace("postgresql://", "postgres://")])]
    for p in procs:
        p.wait(timeout=240)
    outs = [output(p) for p in procs]
    codes = [p.returncode for p in procs]
    print(f"{name}: exit codes {codes}", flush=True)
    for p, out in zip(procs, outs):
        T.check(p.returncode in (0, 2, 4), f"{name}: exit {p.returncode}: {out[-1500:]}")
        if p.returncode == 2:
            T.check("already" in out or "another nasrun" in out or "attempt" in out,
                    f"{name}: refused without saying why: {out[-1500:]}")
    T.check(0 in codes, f"{name}: no nasrun finished: {outs}")
    T.run([f, "--store", tcp], check_rc=0)
    check_complete(name, db, n)
    before = psql(db, "SELECT count(*), max(id) FROM trial")
    status = T.run([f, "--status"], {"NAS_STORE": sock}, check_rc=0)
    T.check(f"{n} " in status.stdout or str(n) in status.stdout, f"{name}: --status: {status.stdout[-800:]}")
    # the HTML report, read from this store: a point per stage-1 trial of the search curve; and the
    # one the search wrote beside the .nas file (a PostgreSQL store has no directory of its own)
    html = os.path.join(d, "pg.html")
    T.run([f, "--store", tcp, "--report", html], check_rc=0)
    curve = open(html).read().split('id="curve-s1"')[-1].split("</svg>")[0] if os.path.exists(html) else ""
    T.check(curve.count("<circle") == n, f"{name}: --report on PostgreSQL: {curve.count('<circle')} points, not {n}")
    T.check(os.path.exists(os.path.join(d, "space.html")), f"{name}: no report beside the .nas file")
    export = T.run([f, "--store", tcp, "--export", "json"], check_rc=0)
    try:
        stage1_rows = [t for t in json.loads(export.stdout) if t["stage"] == 1]
        T.check(len(stage1_rows) == n, f"{name}: --export json has {len(stage1_rows)} stage-1 trials")
    except (ValueError, KeyError, TypeError) as e:
        T.check(False, f"{name}: --export json is not the trials: {e}: {export.stdout[:300]}")
    other = T.space_file(d, trials=n, name="never.nas")
    # an experiment never begun: the view shows the latest one, says so, and writes nothing
    never = T.run([other, "--export", "json", "--store", tcp], check_rc=0)
    try:
        shown = [t for t in json.loads(never.stdout) if t["stage"] == 1]
        T.check(len(shown) == n, f"{name}: --export of a file never run shows {len(shown)} trials, not the latest's {n}")
    except (ValueError, KeyError, TypeError) as e:
        T.check(False, f"{name}: --export of a file never run is not the trials: {e}: {never.stdout[:300]}")
    T.check("experiment" in never.stderr, f"{name}: the view does not say which experiment it shows: {never.stderr[-300:]}")
    T.check(psql(db, "SELECT count(*), max(id) FROM trial") == before and
            int(psql(db, "SELECT count(*) FROM experiment")[0][0]) == 1, f"{name}: a view wrote to the store")


def killed_and_taken_over():
    name, n = "kill -9 and take over", 14
    db = "takeover"
    tcp, sock = new_db(db)
    d = T.workdir()
    f = T.space_file(d, trials=n, parallel=2, seed=5)
    log = d + "/trainer.log"
    env = {"SLEEP": "0.4", "TRIAL_LOG": log}
    a = T.start([f, "--store", tcp], env)
    done = lambda: sum(r[2] != T.RUNNING for r in stage1(db)) if has_store(db) else 0
    T.wait_for(lambda: a.poll() is not None or done() >= 4, 120, step=0.1)
    T.check(a.poll() is None, f"{name}: the first nasrun ended before the kill: {output(a)[-800:]}")
    T.kill_group(a)
    at_kill = stage1(db)
    running = [r[0] for r in at_kill if r[2] == T.RUNNING]
    started_at_kill = len(open(log).read().split("\n")) - 1
    print(f"{name}: killed with {len(at_kill) - len(running)} finished, running {running}", flush=True)
    b = T.run([f], dict(env, NAS_STORE=sock), timeout=240, check_rc=0)
    T.remove_trial_dirs(log)
    rows = {r[0]: r for r in check_complete(name, db, n)}
    for r in at_kill:
        if r[2] != T.RUNNING:
            T.check(rows[r[0]][1:4] == r[1:4] and rows[r[0]][6] == r[6],
                    f"{name}: seq {r[0]} finished before the kill but changed: {r} -> {rows[r[0]]}")
        else:
            T.check(rows[r[0]][1] == r[1] and rows[r[0]][5] == r[5] + 1,
                    f"{name}: seq {r[0]} running at the kill: {r} -> {rows[r[0]]}")
    finished_at_kill = {r[0] for r in at_kill if r[2] != T.RUNNING}
    trained = [int(line.split()[0]) for line in open(log).read().split("\n")[started_at_kill:] if line]
    rerun = [s for s in trained if s in finished_at_kill]
    T.check(not rerun, f"{name}: finished trials trained again after the kill: {rerun}")
    T.check("resuming experiment" in b.stderr, f"{name}: the second nasrun did not resume: {b.stderr[-800:]}")


def server_restart():
    name, n = "server restart", 12
    db = "restart"
    tcp, _ = new_db(db)
    d = T.workdir()
    f = T.space_file(d, trials=n, parallel=2, seed=9)
    a = T.start([f, "--store", tcp], {"SLEEP": "0.5"})
    T.wait_for(lambda: a.poll() is not None or
               (has_store(db) and int(psql(db, "SELECT count(*) FROM trial WHERE state != 0")[0][0]) >= 3), 120, 0.1)
    T.check(a.poll() is None, f"{name}: nasrun ended before the restart: {output(a)[-800:]}")
    subprocess.run(shlex.split(os.environ["NAS_TEST_PG_CTL"]) + ["restart", "-m", "fast"], check=True,
                   stdout=subprocess.DEVNULL)
    a.wait(timeout=240)
    T.check(a.returncode == 0, f"{name}: exit {a.returncode}: {output(a)[-1500:]}")
    check_complete(name, db, n)


def refused_while_running():
    name = "second while one runs"
    db = "busy"
    tcp, sock = new_db(db)
    d = T.workdir()
    f = T.space_file(d, trials=6, parallel=1, seed=7)
    a = T.start([f, "--store", tcp], {"SLEEP": "3"})
    T.wait_for(lambda: has_store(db) and int(psql(db, "SELECT count(*) FROM trial WHERE state = 0")[0][0]) > 0,
               60, step=0.1)
    b = T.run([f], {"NAS_STORE": sock}, timeout=60, check_rc=2)
    T.check("another nasrun" in b.stderr, f"{name}: {b.stderr[-800:]}")
    T.kill_group(a)


def carry_over():
    name = "carry-over"
    tcp, _ = new_db("carry")
    d = T.workdir()
    old = T.space_file(d, trials=30, name="old.nas")
    new = os.path.join(d, "new.nas")
    with open(old) as f:
        text = f.read()
    with open(new, "w") as f:
        f.write(text.replace("choice c [1, 2, 3, 4]", "choice c [4, 3, 2]").replace("trials   30", "trials   36"))
    T.run([old, "--store", tcp, "--quiet"], check_rc=0)
    old_done = {r[1]: r[3] for r in stage1("carry") if r[2] == T.DONE}
    nasc = os.path.join(os.path.dirname(T.NASRUN), "nasc")
    p = subprocess.run([nasc, "--diff", old, new, "--format=json"], capture_output=True, text=True, env=T.env())
    mapping = dict(json.loads(p.stdout)["mapping"])
    expect = {mapping[a]: r for a, r in old_done.items() if a in mapping}
    T.check(0 < len(expect) < len(old_done), f"{name}: some old trials hold, not all: {len(expect)} of {len(old_done)}")
    log = os.path.join(d, "trainer.log")
    T.run([new, "--store", tcp, "--carry-over", old], {"TRIAL_LOG": log}, check_rc=0)
    rows = psql("carry", "SELECT arch_id, state, reward, reason FROM trial WHERE stage = 1 AND experiment ="
                         " (SELECT max(id) FROM experiment)")
    carried = {a: (int(st), float(r)) for a, st, r, why in rows if why.startswith("carried over from")}
    T.check(carried == {a: (T.DONE, r) for a, r in expect.items()},
            f"{name}: carried {sorted(carried)}, nasc --diff maps {sorted(expect)}")
    trained = {line.split()[1] for line in open(log) if line.strip()} if os.path.exists(log) else set()
    T.check(not trained & set(carried), f"{name}: trained again: {sorted(trained & set(carried))}")
    T.run([new, "--store", tcp, "--carry-over", old, "--trials", "40"], check_rc=0)
    again = psql("carry", "SELECT count(*) FROM trial WHERE stage = 1 AND reason LIKE 'carried over from%'")
    T.check(int(again[0][0]) == len(expect), f"{name}: a resume carried again: {again[0][0]} rows, {len(expect)} expected")


concurrent()
killed_and_taken_over()
server_restart()
refused_while_running()
carry_over()
T.finish("test_pg_nasrun")
