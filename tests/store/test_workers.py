"""test_workers.py sqlite|pg — `nasrun --worker` started many times serves one experiment, on
"hosts" that die, pause and lose their network. Real processes throughout: every worker is a
nasrun, every trial the instant external trainer of tests/e2e (its reward is a function of the
decisions, so a result stored against another architecture is seen), and with `pg` a real
PostgreSQL server (run under with_pg.sh) reached over TCP.

A host is a UTS namespace with its own hostname (`unshare --uts`), so the workers of two hosts
judge each other by heartbeats and the ones of one host by their pids; with `pg` each host is
also a network namespace (`ip netns`) with a veth pair to this one, reaching the server at the
address of its end of the pair.

- agree: three workers and one plain nasrun (another store) with the same seed propose the same
  architecture under every proposal number (the random controller's proposals do not depend on
  the results, so the recorded order alone decides them).
- prune: two workers on a search with `prune asha(...)` (test_prune_workers's space and
  trainer): every stored decision is the rule on the trials told before the trial's ask.
- stop rules: `stop when trials >= 8` stops every worker soon after 8 results of any of them;
  more failures than max_failed end every worker with exit 3.
- chaos: two workers on host A, two on host B, evolution controller, a search and a train stage.
  Host A's workers are killed (-9, with their trainers) at random moments, twice, and started
  again; a worker of B is stopped (SIGSTOP) past the stale time and continued; with `pg`, B's
  link goes down mid-trial and comes back. Then: every worker ends 0; stage 1 holds proposals
  0..N-1 exactly once, each done (or cached) with the reward of its own architecture; stage 2
  the best K distinct architectures once each; every training the trainer logged was of the
  architecture its row holds, and no row was trained more often than it was claimed; the
  stopped worker's trials were taken over and its late writes refused and logged; --status
  shows the workers; a worker started on the finished store replays the history with no
  proposal differing and adds nothing.
"""
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import nastest as T

MODE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
PSQL = "/usr/lib/postgresql/15/bin/psql"
BEAT = "0.5"            # NAS_HEARTBEAT_SECONDS: another host's worker is stale after 6 beats, 3 s
STALE = 6 * float(BEAT)
if MODE == "pg" and not os.environ.get("NAS_TEST_PG"):
    print("test_workers pg: run it with tests/store/with_pg.sh (NAS_TEST_PG is not set)")
    sys.exit(1)
if os.geteuid() != 0 or not shutil.which("unshare") or (MODE == "pg" and not shutil.which("ip")):
    print("test_workers: needs root, unshare (util-linux) and, for pg, ip (iproute2): .ci/setup-test installs them")
    sys.exit(1)

# ---- the store, read directly ----


class Db:
    def __init__(self, name):
        self.name = name
        if MODE == "pg":
            self.server = os.environ["NAS_TEST_PG"]
            psql_run("postgres", f"CREATE DATABASE {name}")
            self.local = f"{self.server}/{name}"
        else:
            self.local = os.path.join(T.workdir(), name + ".nasdb")

    def url(self, host):
        """What a worker of `host` gives as --store."""
        if MODE != "pg" or host is None:
            return self.local
        return f"postgresql://postgres@{host.server_addr}:{os.environ['NAS_TEST_PG_PORT']}/{self.name}"

    def rows(self, sql):
        if MODE == "pg":
            try:
                return [[None if v == "\\N" else v for v in r] for r in psql_run(self.name, sql)]
            except subprocess.CalledProcessError:    # no tables yet
                return []
        if not os.path.exists(self.local):
            return []
        db = sqlite3.connect(self.local, timeout=30)
        try:
            return [[None if v is None else str(v) for v in r] for r in db.execute(sql).fetchall()]
        except sqlite3.OperationalError:     # no tables yet
            return []
        finally:
            db.close()

    def lock_held(self):
        """Whether a worker has held the store's lock for half a second: one that is stopped or
        cut off inside it (the others hold it for milliseconds)."""
        time.sleep(0.8)
        if MODE == "pg":
            return int(self.rows("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                 " AND state = 'idle in transaction'"
                                 " AND clock_timestamp() - state_change > interval '0.5 s'")[0][0]) > 0
        return not T.write_lock_free(self.local, 0.5)

    def trials(self, stage):
        """(seq, arch_id, state, reward, decisions, attempts, worker) of the newest experiment's stage."""
        out = []
        for s, a, st, r, d, n, w in self.rows(
                "SELECT seq, arch_id, state, reward, decisions, attempts, worker FROM trial WHERE stage = "
                f"{stage} AND experiment = (SELECT max(id) FROM experiment) ORDER BY seq"):
            out.append((int(s), a, int(st), float(r) if r not in (None, "") else None, json.loads(d), int(n), w))
        return out


def psql_run(db, sql):
    out = subprocess.run([PSQL, "-X", "-At", "-F", "\t", "-P", "null=\\N", "-v", "ON_ERROR_STOP=1",
                          f"{os.environ['NAS_TEST_PG']}/{db}", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


# ---- hosts ----

NETS = []


class Host:
    """A hostname of its own; with pg also a network namespace joined to this one by a veth pair."""

    def __init__(self, name, index):
        self.name = f"{name}-{os.getpid()}"
        self.ns = self.link = None
        self.server_addr = "127.0.0.1"
        if MODE == "pg":
            net = f"10.{100 + os.getpid() % 100}.{index}"
            self.ns, self.link = f"nas{name}{os.getpid()}", f"nw{name}{os.getpid() % 100000}"
            peer = self.link + "p"
            for cmd in (f"ip netns add {self.ns}",
                        f"ip link add {self.link} type veth peer name {peer}",
                        f"ip link set {peer} netns {self.ns}",
                        f"ip addr add {net}.1/24 dev {self.link}",
                        f"ip link set {self.link} up",
                        f"ip netns exec {self.ns} ip addr add {net}.2/24 dev {peer}",
                        f"ip netns exec {self.ns} ip link set {peer} up",
                        f"ip netns exec {self.ns} ip link set lo up"):
                subprocess.run(cmd.split(), check=True)
            NETS.append(self)
            self.peer, self.server_addr = peer, f"{net}.1"

    def prefix(self):
        ns = ["ip", "netns", "exec", self.ns] if self.ns else []
        return ns + ["unshare", "--uts", "sh", "-c", f'hostname {self.name} && exec "$@"', "sh"]

    def link_state(self, up):
        subprocess.run(["ip", "netns", "exec", self.ns, "ip", "link", "set", self.peer, "up" if up else "down"],
                       check=True)

    def remove(self):
        subprocess.run(["ip", "link", "del", self.link], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "del", self.ns], stderr=subprocess.DEVNULL)


def worker(host, f, db, env, args=()):
    """`nasrun f --worker` on host (None: this one), in its own process group, output to a file."""
    e = T.env()
    e.update(env)
    fd, log = tempfile.mkstemp(prefix="worker-", suffix=".log", dir=T.workdir())
    cmd = (host.prefix() if host else []) + [T.NASRUN, f, "--worker", "--store", db.url(host), *args]
    p = subprocess.Popen(cmd, stdout=fd, stderr=subprocess.STDOUT, env=e, start_new_session=True)
    os.close(fd)
    p.log, p.host = log, host
    T._LOGS.append(log)
    return p


def out(p):
    with open(p.log, errors="replace") as f:
        return f.read()


def space(d, trials, algorithm, train_top=0, seed=1):
    """T.space_file, its trainer logging (stage, seq, arch) of every training it starts."""
    extra = f"train full {{ from s top {train_top}  data d.train }}\n" if train_top else ""
    f = T.space_file(d, algorithm=algorithm, trials=trials, parallel=2, seed=seed, extra=extra)
    with open(os.path.join(d, "logged.sh"), "w") as t:
        t.write(f'echo "$NAS_STAGE $NAS_TRIAL_SEQ $NAS_ARCH_ID" >> "$STAGE_LOG"\n. {d}/trainer.sh\n')
    text = open(f).read().replace(f". {d}/trainer.sh", f". {d}/logged.sh")
    open(f, "w").write(text)
    return f


def check_stage(name, rows, n):
    T.check([r[0] for r in rows] == list(range(n)), f"{name}: seqs {[r[0] for r in rows]}, expected 0..{n - 1}")
    for r in rows:
        if r[2] == T.FAILED:   # three of its attempts lost: allowed, with that reason
            continue
        T.check(r[2] in (T.DONE, T.CACHED), f"{name}: seq {r[0]} is {T.STATES[r[2]]}")
        T.check(r[3] is not None and abs(r[3] - T.known_reward(r[4])) < 1e-9,
                f"{name}: seq {r[0]} {r[1]} has reward {r[3]}, its architecture's is {T.known_reward(r[4])}")


def agree():
    name, n = "agree", 20
    d = T.workdir()
    f = space(d, n, "random", seed=7)
    env = {"STAGE_LOG": d + "/stages.log", "NAS_HEARTBEAT_SECONDS": BEAT}
    db = Db("agree")
    # each training takes a while, so a worker that is slower to start (each checks the space
    # first) still finds work left
    ws = [worker(None, f, db, dict(env, SLEEP="0.5")) for _ in range(3)]
    for w in ws:
        w.wait(timeout=120)
        T.check(w.returncode == 0, f"{name}: a worker exited {w.returncode}: {out(w)[-1500:]}")
    one = os.path.join(d, "one.nasdb")
    T.run([f, "--store", one, "--parallel", "1"], env, check_rc=0)
    alone = [tuple(r[:2]) for r in T.trials(one)]
    shared = [(r[0], r[1]) for r in db.trials(1)]
    T.check(shared == alone, f"{name}: the workers' proposals {shared} differ from one nasrun's {alone}")
    workers = {r[6] for r in db.trials(1)}
    T.check(len(workers) == 3, f"{name}: trials were run by {len(workers)} workers, not 3: {workers}")


def shared_rules():
    """A stop rule and max_failed are judged on every worker's results: all stop, or all exit 3."""
    name = "stop rules"
    d = T.workdir()
    f = space(d, 40, "random", seed=5)
    text = open(f).read().replace("parallel 2", "parallel 2\n    stop when trials >= 8")
    open(f, "w").write(text)
    env = {"STAGE_LOG": d + "/stages.log", "NAS_HEARTBEAT_SECONDS": BEAT, "SLEEP": "0.3"}
    db = Db("stoprule")
    ws = [worker(None, f, db, env) for _ in range(3)]
    for w in ws:
        w.wait(timeout=120)
        T.check(w.returncode == 0, f"{name}: a worker exited {w.returncode}: {out(w)[-1500:]}")
    rows = db.trials(1)
    T.check(8 <= len(rows) < 8 + 6 and all(r[2] == T.DONE for r in rows),
            f"{name}: {len(rows)} trials {[T.STATES[r[2]] for r in rows]} for `stop when trials >= 8` with 3 x 2 slots")
    T.check(sum("stop rule met" in out(w) for w in ws) >= 2, f"{name}: the workers did not say the rule stopped them")
    name = "max_failed"
    f = space(d, 40, "random", seed=6)
    text = open(f).read().replace("parallel 2", "parallel 2\n    max_failed 2")
    open(f, "w").write(text)
    db = Db("maxfailed")
    ws = [worker(None, f, db, dict(env, MODE="exit", BAD_EVERY="3")) for _ in range(3)]
    for w in ws:
        w.wait(timeout=120)
        T.check(w.returncode == 3, f"{name}: a worker exited {w.returncode}, not 3: {out(w)[-1500:]}")


def chaos():
    name, n, top = "chaos", 60, 3
    d = T.workdir()
    f = space(d, n, "evolution", train_top=top, seed=11)
    stage_log = d + "/stages.log"
    env = {"STAGE_LOG": stage_log, "NAS_HEARTBEAT_SECONDS": BEAT, "SLEEP": "1"}
    db = Db("chaos")
    a, b = Host("a", 1), Host("b", 2)
    # A's trials are slow and many: B's worker stopped past the stale time is continued while the
    # trials A took over from it still run, so its writes must be refused by the attempt, not
    # only because the trial has finished
    env_a, args_a = dict(env, SLEEP="3.5"), ("--parallel", "3")
    wa = [worker(a, f, db, env_a, args_a) for _ in range(2)]
    wb = [worker(b, f, db, env) for _ in range(2)]
    done = lambda: sum(r[2] != T.RUNNING for r in db.trials(1))
    running = lambda p: [r for r in db.trials(1) if r[2] == T.RUNNING and r[6] and r[6].endswith(f":{p.pid}")]
    rnd = random.Random(os.getpid())
    ended = []

    def kill_a():
        time.sleep(rnd.uniform(0.3, 1.5))
        for p in wa:
            T.kill_group(p)
            ended.append(p)
        time.sleep(0.3)
        wa[:] = [worker(a, f, db, env_a, args_a) for _ in range(2)]

    T.wait_for(lambda: done() >= 4, 60, 0.1)
    kill_a()
    cut = []
    # A worker stopped or cut off while it holds the store's lock holds off the others until it
    # goes on (docs/nasrun.md): the test stops and cuts workers that hold trials but not the lock,
    # trying again at another moment otherwise.
    if MODE == "pg":     # B's link down mid-trial, then back up
        for _ in range(5):
            T.wait_for(lambda: any(running(p) for p in wb), 30, 0.05)
            b.link_state(False)
            cut = [r for p in wb for r in running(p)]
            if cut and not db.lock_held():
                break
            b.link_state(True)
            time.sleep(4 * float(BEAT))
        time.sleep(STALE + 1.2)
        b.link_state(True)
        time.sleep(4 * float(BEAT))   # B beats again before one of its workers is stopped
    # a worker of B stopped past the stale time while it holds trials
    stopped, held = wb[0], []
    for _ in range(5):
        T.wait_for(lambda: running(stopped), 30, 0.05)
        os.kill(stopped.pid, signal.SIGSTOP)
        held = running(stopped)
        if held and not db.lock_held():
            break
        os.kill(stopped.pid, signal.SIGCONT)
    time.sleep(STALE + 1.7)
    taken = [r for r in db.trials(1) if r[0] in {h[0] for h in held}]
    os.kill(stopped.pid, signal.SIGCONT)
    kill_a()
    for p in wa + wb:
        try:
            p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            T.check(False, f"{name}: a worker did not end: {out(p)[-1500:]}")
            T.kill_group(p)
        T.check(p.returncode == 0, f"{name}: a worker of {p.host.name} exited {p.returncode}: {out(p)[-2000:]}")
    rows1, rows2 = db.trials(1), db.trials(2)
    print(f"{name}: {len(rows1)} + {len(rows2)} trials; attempts > 1: "
          f"{[(r[0], r[5]) for r in rows1 + rows2 if r[5] > 1]}; held when stopped: {[r[0] for r in held]}; "
          f"running at the cut: {[r[0] for r in cut]}", flush=True)
    check_stage(name + " stage 1", rows1, n)
    check_stage(name + " stage 2", rows2, top)
    failed = [(r[0], r[1]) for r in rows1 + rows2 if r[2] == T.FAILED]
    reasons = db.rows("SELECT stage, seq, reason FROM trial WHERE state = 3")
    T.check(all("given up after 3 attempts" in (r[2] or "") for r in reasons), f"{name}: failed trials: {reasons}")
    best = sorted({r[1]: r[3] for r in rows1 if r[2] == T.DONE}.values(), reverse=True)[:top]
    T.check(sorted((r[3] for r in rows2), reverse=True) == best,
            f"{name}: stage 2 trained {[(r[1], r[3]) for r in rows2]}, the best rewards of stage 1 are {best}")
    T.check(len({r[1] for r in rows2}) == len(rows2), f"{name}: stage 2 trained an architecture twice")
    # every training was of its row's architecture; no row trained more often than claimed
    arch = {(1, r[0]): r for r in rows1} | {(2, r[0]): r for r in rows2}
    trained = {}
    for line in open(stage_log):
        st, seq, aid = line.split()
        key = (int(st), int(seq))
        trained[key] = trained.get(key, 0) + 1
        T.check(key in arch and arch[key][1] == aid, f"{name}: stage {st} seq {seq} trained as {aid}, "
                f"its row holds {arch[key][1] if key in arch else None}")
    over = [(k, c, arch[k][5]) for k, c in trained.items() if k in arch and c > arch[k][5]]
    T.check(not over, f"{name}: trained more often than claimed (trial, trainings, attempts): {over}")
    # the stopped worker: its trials were taken over, its late writes refused and logged
    T.check(held, f"{name}: the stopped worker held no trial")
    T.check(any(r[2] == T.RUNNING and r[5] > 1 for r in taken),
            f"{name}: no trial taken over from the stopped worker was still running when it went on: {taken}")
    for r in held:
        now = arch[(1, r[0])]
        # once it goes on, the stopped worker may take the trial again from a worker of A killed
        # since: then a later attempt is its own, the one after the takeover
        mine = now[6].endswith(f":{stopped.pid}")
        T.check(now[5] > r[5] + (1 if mine else 0),
                f"{name}: seq {r[0]}, held by the stopped worker, was not taken over: {r[5:]} -> {now[5:]}")
    T.check("refused by the store" in out(stopped), f"{name}: the stopped worker logged no refusal: "
            f"{out(stopped)[-1500:]}")
    if cut:
        T.check(any("refused by the store" in out(p) for p in wb) or
                all(arch[(1, r[0])][5] == r[5] for r in cut),
                f"{name}: B's trials cut off were taken over but B logged no refusal")
        T.check(any(arch[(1, r[0])][5] > r[5] for r in cut),
                f"{name}: none of B's trials was taken over while its link was down: {cut}")
    for p in ended:
        T.check(p.returncode == -signal.SIGKILL, f"{name}: a killed worker ended {p.returncode}")
    # the views: every worker, none running now
    status = T.run([f, "--store", db.local, "--status"], {"NAS_HEARTBEAT_SECONDS": BEAT}, check_rc=0)
    T.check("workers" in status.stdout and a.name in status.stdout and b.name in status.stdout,
            f"{name}: --status does not show the workers of both hosts: {status.stdout[:1500]}")
    T.check(" running " not in status.stdout.split("\n\n")[0], f"{name}: --status shows a worker running: "
            f"{status.stdout[:1500]}")
    # a late worker replays the whole history: every stored proposal is what it would propose
    before = db.rows("SELECT count(*), max(attempts) FROM trial")
    late = T.run([f, "--worker", "--store", db.local], env, check_rc=0)
    T.check("differ" not in late.stderr, f"{name}: the replayed proposals differ: {late.stderr[-1000:]}")
    T.check(db.rows("SELECT count(*), max(attempts) FROM trial") == before, f"{name}: the late worker wrote")
    T.remove_trial_dirs(stage_log)


def pruned():
    """`prune asha(...)` shared by two workers (tests/e2e/test_prune_workers.py on SQLite): every
    decision is the rule on the trials told before the trial's ask, whichever worker told them."""
    name = "prune"
    import test_prune_workers as P
    d = T.workdir()
    f = T.prune_case(d, P.TRAINER, P.N, 2)
    db = Db("prune")
    ws = [worker(None, f, db, {"NAS_HEARTBEAT_SECONDS": BEAT}) for _ in range(2)]
    for w in ws:
        w.wait(timeout=120)
        T.check(w.returncode == 0, f"{name}: a worker exited {w.returncode}: {out(w)[-1500:]}")
    rows = []
    for seq, arch, state, ask, tell, curve in db.rows(
            "SELECT seq, arch_id, state, ask_event, tell_event, curve FROM trial WHERE stage = 1 ORDER BY seq"):
        reached = max(T.curve_values(curve), default=0) if int(state) == T.PRUNED else None
        rows.append((int(seq), arch, int(state), None, reached, int(ask), int(tell), curve))
    T.check_asha(name, rows, P.N)
    T.check(len({r[0] for r in db.trials(1)}) == P.N, f"{name}: a seq stored twice")


def dead_shown():
    """--status marks a dead worker's trial: this host, its pid gone."""
    name = "status of a dead worker"
    d = T.workdir()
    f = space(d, 6, "random", seed=3)
    db = Db("dead")
    p = worker(None, f, db, {"STAGE_LOG": d + "/stages.log", "SLEEP": "30", "NAS_HEARTBEAT_SECONDS": BEAT})
    T.wait_for(lambda: any(r[2] == T.RUNNING for r in db.trials(1)), 30, 0.05)
    T.kill_group(p)
    status = T.run([f, "--store", db.local, "--status"], {"NAS_HEARTBEAT_SECONDS": BEAT}, check_rc=0)
    T.check(f"pid {p.pid}" in status.stdout and " dead " in status.stdout and "its worker is gone" in status.stdout,
            f"{name}: --status: {status.stdout[:1200]}")


def timed(f):
    t = time.time()
    f()
    print(f"{f.__name__}: {time.time() - t:.1f} s", flush=True)


# the work directories inside one of this test's own, out of reach of a clean-up of /tmp/nas-e2e-*
tempfile.tempdir = tempfile.mkdtemp(prefix="nas-workers-")
try:
    for scenario in (agree, pruned, dead_shown, shared_rules, chaos):
        timed(scenario)
finally:
    for h in NETS:
        h.remove()
T.finish(f"test_workers {MODE}")
shutil.rmtree(tempfile.tempdir, ignore_errors=True)
