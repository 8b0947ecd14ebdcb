/* trial.c — one trial in its own process, so a crash, a hang or an out-of-memory in one
 * architecture ends that trial only. The child trains (built-in) or execs the external
 * trainer and reports on a pipe; the parent reads the report, beats the store's heartbeat
 * while the trial runs, enforces the timeout, and turns the end into a TrialOutcome. */
#include "pipeline_int.h"
#include "train.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { LATENCY_RUNS = 20, HEARTBEAT_SECONDS = 5 };

void trial_settings(const NasTraining *t, int threads, const RunOptions *ro, TrainSettings *s)
{
    train_settings_default(s);
    if (ro->device) s->device = ro->device;
    s->precision = ro->precision >= 0 ? ro->precision : (int)t->precision;
    s->epochs = (int)t->epochs;
    s->batch = (int)t->batch;
    s->seed = (uint64_t)t->seed;
    s->threads = threads;
    const NasOptimizer *o = &t->optimizer;
    s->optimizer = o->kind == NAS_OPT_ADAM ? OPT_ADAM : o->kind == NAS_OPT_ADAMW ? OPT_ADAMW : OPT_SGD;
    s->lr = (float)o->lr;
    s->momentum = (float)o->momentum;
    s->nesterov = o->nesterov;
    s->weight_decay = (float)o->weight_decay;
    s->beta1 = (float)o->beta1;
    s->beta2 = (float)o->beta2;
    s->eps = (float)o->eps;
    const NasSchedule *sc = &t->schedule;
    s->warmup_steps = sc->warmup;
    s->schedule = sc->kind == NAS_SCHED_COSINE ? SCHED_COSINE
                : sc->kind == NAS_SCHED_LINEAR_DECAY ? SCHED_LINEAR : SCHED_CONSTANT;
    s->min_lr = (float)(sc->kind == NAS_SCHED_COSINE ? sc->min_lr : sc->final);
    s->clip_norm = (float)t->clip_norm;
    s->latency_runs = LATENCY_RUNS;
}

static void put(int fd, const char *key, const char *value)
{
    /* One report line; the pipe is ours alone, so short writes only come from a dying parent. */
    size_t kl = strlen(key), vl = strlen(value);
    char *line = malloc(kl + vl + 3);
    if (!line) return;
    memcpy(line, key, kl);
    line[kl] = ' ';
    memcpy(line + kl + 1, value, vl);
    line[kl + vl + 1] = '\n';
    size_t n = kl + vl + 2, off = 0;
    while (off < n) {
        ssize_t w = write(fd, line + off, n - off);
        if (w <= 0 && errno != EINTR) break;
        if (w > 0) off += (size_t)w;
    }
    free(line);
}

/* Child: the built-in trainer. Never returns. */
static void child_train(Run *R, Job *j, int fd)
{
    Arena a;
    arena_init(&a);
    ModelError me;
    Graph *g = model_instantiate(R->ms, j->arch, &a, &me);
    if (!g) {
        put(fd, "status", "error");
        put(fd, "reason", me.msg);
        _exit(0);
    }
    NasTraining t;
    if (model_training(R->ms, j->arch, run_training(R, j->stage), &t, &a, &me) != 0) {
        put(fd, "status", "error");
        put(fd, "reason", me.msg);
        _exit(0);
    }
    TrainSettings s;
    trial_settings(&t, run_threads(R, j->stage), R->o, &s);
    TrainData d;
    if (j->stage == 2) {
        d = (TrainData){ &R->train_set, NULL, R->train_set.n, &R->test_set, NULL, R->test_set.n };
    } else {
        d = (TrainData){ &R->train_set, R->split1.train, R->split1.ntrain,
                         &R->train_set, R->split1.val, R->split1.nval };
    }
    TrainResult r;
    memset(&r, 0, sizeof r);
    int rc = train_run(g, &d, &s, &r);
    put(fd, "status", rc == 0 && r.status == TRAIN_OK ? "ok" : r.status == TRAIN_DIVERGED ? "diverged" : "error");
    if (r.msg[0]) put(fd, "reason", r.msg);
    JsonBuf m = {0}, c = {0};
    jb_printf(&m, "{\"accuracy\": ");
    jb_number(&m, r.val_acc);
    jb_printf(&m, ", \"loss\": ");
    jb_number(&m, r.val_loss);
    jb_printf(&m, ", \"latency\": ");
    jb_number(&m, r.latency_ms / 1e3);
    jb_printf(&m, ", \"params\": %lld, \"flops\": %lld, \"memory\": %lld, \"train_seconds\": ",
              (long long)r.params, (long long)r.flops, (long long)r.planned_bytes);
    jb_number(&m, r.train_seconds);
    jb_printf(&m, ", \"images_per_s\": ");
    jb_number(&m, r.images_per_s);
    jb_printf(&m, ", \"jit_ms\": ");
    jb_number(&m, r.jit_ms);
    jb_printf(&m, ", \"rss_peak\": %lld}", (long long)r.rss_peak);
    put(fd, "metrics", m.s);
    jb_printf(&c, "[");
    for (int e = 0; e < r.nepochs; e++) {
        const EpochStat *es = &r.curve[e];
        jb_printf(&c, "%s{\"epoch\": %d, \"train_loss\": ", e ? ", " : "", e + 1);
        jb_number(&c, es->train_loss);
        jb_printf(&c, ", \"train_acc\": ");
        jb_number(&c, es->train_acc);
        jb_printf(&c, ", \"val_loss\": ");
        jb_number(&c, es->val_loss);
        jb_printf(&c, ", \"val_acc\": ");
        jb_number(&c, es->val_acc);
        jb_printf(&c, ", \"seconds\": ");
        jb_number(&c, es->seconds);
        jb_printf(&c, "}");
    }
    jb_printf(&c, "]");
    put(fd, "curve", c.s);
    _exit(0);
}

/* Child: the external trainer (`trainer exec "cmd"`): the architecture goes in through a JSON
 * file and environment variables; metrics come back as JSON lines on stdout or in a file. */
static void child_exec(Run *R, Job *j, int fd)
{
    char arch_file[96], metrics_file[96], seq[32], stage[8];
    snprintf(arch_file, sizeof arch_file, "%s/arch.json", j->tmpdir);
    snprintf(metrics_file, sizeof metrics_file, "%s/metrics.json", j->tmpdir);
    char *dec = run_decisions_json(R, j->arch);
    FILE *f = fopen(arch_file, "w");
    if (f) {
        fprintf(f, "{\"id\": \"%s\", \"stage\": %d, \"seq\": %lld, \"decisions\": %s}\n", j->arch_id,
                j->stage, (long long)j->seq, dec ? dec : "{}");
        fclose(f);
    }
    snprintf(seq, sizeof seq, "%lld", (long long)j->seq);
    snprintf(stage, sizeof stage, "%d", j->stage);
    setenv("NAS_ARCH_ID", j->arch_id, 1);
    setenv("NAS_ARCH_FILE", arch_file, 1);
    setenv("NAS_METRICS_FILE", metrics_file, 1);
    setenv("NAS_DECISIONS", dec ? dec : "{}", 1);
    setenv("NAS_TRIAL_SEQ", seq, 1);
    setenv("NAS_STAGE", stage, 1);
    char epochs[32];
    snprintf(epochs, sizeof epochs, "%lld", (long long)run_training(R, j->stage)->epochs);
    setenv("NAS_EPOCHS", epochs, 1);
    if (dup2(fd, 1) < 0) _exit(121);
    close(fd);
    execl("/bin/sh", "sh", "-c", R->trainer->exec, (char *)NULL);
    _exit(127);
}

int trial_spawn(Run *R, Job *j)
{
    snprintf(j->tmpdir, sizeof j->tmpdir, "/tmp/nas-trial-XXXXXX");
    if (R->trainer && !mkdtemp(j->tmpdir)) {
        fprintf(stderr, "nasrun: cannot create a directory for the trainer: %s\n", strerror(errno));
        return -1;
    }
    if (!R->trainer) j->tmpdir[0] = 0;
    int p[2];
    if (pipe(p) != 0) {
        fprintf(stderr, "nasrun: cannot create a pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "nasrun: cannot start a trial process: %s\n", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        /* Its own process group, so a timeout or an interrupt also ends what a trainer
         * started (a shell's children, data loaders), which would otherwise hold the pipe. */
        setpgid(0, 0);
        close(p[0]);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (R->trainer) child_exec(R, j, p[1]);
        child_train(R, j, p[1]);
    }
    setpgid(pid, pid);                                /* also here: no race with the kill below */
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    j->pid = pid;
    j->fd = p[0];
    j->busy = true;
    j->started = j->last_beat = store_now();
    j->len = 0;
    j->timed_out = j->exited = false;
    return 0;
}

static double trial_timeout(Run *R)
{
    if (R->o->trial_timeout > 0) return R->o->trial_timeout;
    return R->trainer && R->trainer->timeout > 0 ? R->trainer->timeout : 0;
}

/* Reads what is there; returns true at end of file. */
static bool drain(Job *j)
{
    for (;;) {
        if (j->cap - j->len < 4096) {
            size_t cap = j->cap ? j->cap * 2 : 8192;
            char *b = realloc(j->buf, cap);
            if (!b) return true;
            j->buf = b;
            j->cap = cap;
        }
        ssize_t n = read(j->fd, j->buf + j->len, j->cap - j->len - 1);
        if (n > 0) { j->len += (size_t)n; continue; }
        if (n == 0) return true;
        return !(errno == EAGAIN || errno == EINTR);
    }
}

int trial_wait_any(Run *R, Job *jobs, int njobs, int ms)
{
    struct pollfd pf[JOB_MAX];
    int idx[JOB_MAX], n = 0;
    for (int i = 0; i < njobs; i++)
        if (jobs[i].busy) { pf[n] = (struct pollfd){ jobs[i].fd, POLLIN, 0 }; idx[n++] = i; }
    if (n == 0) return -1;
    poll(pf, (nfds_t)n, ms);
    double now = store_now(), limit = trial_timeout(R);
    for (int k = 0; k < n; k++) {
        Job *j = &jobs[idx[k]];
        if (limit > 0 && !j->timed_out && now - j->started > limit) {
            kill(-j->pid, SIGKILL);                   /* the trial's whole process group */
            j->timed_out = true;
        }
        if (j->trial_id > 0 && R->store && now - j->last_beat >= HEARTBEAT_SECONDS) {
            StoreError err;
            if (store_trial_heartbeat(R->store, j->trial_id, &err) != 0)
                fprintf(stderr, "nasrun: %s\n", err.msg);
            j->last_beat = now;
        }
        /* A trial whose process exited (or timed out) is over even if a process it started
         * keeps the pipe open: what is left of its process group is killed. Its output is
         * all in the pipe by now. */
        if (!j->exited && waitpid(j->pid, &j->status, WNOHANG) == j->pid) {
            j->exited = true;
            kill(-j->pid, SIGKILL);
        }
        bool over = j->timed_out || j->exited;
        if ((pf[k].revents || over) && (drain(j) || over)) return idx[k];
    }
    return -1;
}

/* The value of report line `key`, copied into out (empty when absent). Last one wins. */
static void line_value(const char *buf, const char *key, char *out, size_t size)
{
    size_t kl = strlen(key);
    out[0] = 0;
    for (const char *p = buf; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > kl && !strncmp(p, key, kl) && p[kl] == ' ') {
            size_t n = len - kl - 1 < size - 1 ? len - kl - 1 : size - 1;
            memcpy(out, p + kl + 1, n);
            out[n] = 0;
        }
        p = nl ? nl + 1 : NULL;
    }
}

static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = calloc(1, 65537);
    size_t n = s ? fread(s, 1, 65536, f) : 0;
    fclose(f);
    if (s) s[n] = 0;
    return s;
}

/* External trainers: the metrics file if written, else the last JSON object line. */
static bool external_metrics(Job *j, TrialOutcome *out)
{
    char path[128];
    snprintf(path, sizeof path, "%s/metrics.json", j->tmpdir);
    char *text = read_small_file(path);
    const char *line = NULL;
    for (const char *p = j->buf; !text && p && *p;) {   /* last line starting with '{' */
        const char *nl = strchr(p, '\n');
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '{') line = p;
        p = nl ? nl + 1 : NULL;
    }
    if (line) {
        const char *nl = strchr(line, '\n');
        text = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
    }
    bool ok = text && json_to_metrics(text, &out->m, out->names, sizeof out->names);
    if (ok) out->metrics_json = text;
    else free(text);
    return ok;
}

void trial_outcome(Run *R, Job *j, int status, TrialOutcome *out)
{
    memset(out, 0, sizeof *out);
    reward_metrics_init(&out->m);
    out->reward = NAN;
    out->seconds = store_now() - j->started;
    if (j->buf) j->buf[j->len] = 0;
    const char *buf = j->buf ? j->buf : "";
    char st[32], reason[320];
    line_value(buf, "status", st, sizeof st);
    line_value(buf, "reason", reason, sizeof reason);
    out->state = TRIAL_FAILED;
    if (j->timed_out) {
        snprintf(out->reason, sizeof out->reason, "timed out after %.0f s", trial_timeout(R));
        return;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        snprintf(out->reason, sizeof out->reason, "crashed: signal %d (%s)%s", sig, strsignal(sig),
                 sig == SIGKILL ? ", possibly out of memory" : "");
        return;
    }
    if (R->trainer) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code != 0) {
            snprintf(out->reason, sizeof out->reason, "trainer exited with status %d", code);
            return;
        }
        if (!external_metrics(j, out)) {
            const char *last = strrchr(buf, '\n');
            while (last && last > buf && last[1] == 0) {
                const char *p = last - 1;
                while (p > buf && *p != '\n') p--;
                last = p;
            }
            snprintf(out->reason, sizeof out->reason, "trainer printed no metrics (a JSON object line "
                     "like {\"accuracy\": 0.9}); its last output: %.120s", last ? last + (*last == '\n') : buf);
            return;
        }
    } else {
        if (!st[0]) {
            snprintf(out->reason, sizeof out->reason, "the trial process ended without a report (exit %d)",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            return;
        }
        char metrics[2048], curve[65536];
        line_value(buf, "metrics", metrics, sizeof metrics);
        line_value(buf, "curve", curve, sizeof curve);
        out->curve_json = strdup(curve);
        out->metrics_json = strdup(metrics);
        json_to_metrics(metrics, &out->m, out->names, sizeof out->names);
        if (strcmp(st, "ok") != 0) {
            snprintf(out->reason, sizeof out->reason, "%s%s%s", !strcmp(st, "diverged") ? "diverged" : "error",
                     reason[0] ? ": " : "", reason);
            return;
        }
    }
    RewardResult rr;
    reward_compute(R->reward, &out->m, &rr);
    out->reward = rr.reward;
    out->feasible = rr.feasible;
    if (isnan(rr.reward)) {
        snprintf(out->reason, sizeof out->reason, "no reward: %s", rr.why[0] ? rr.why : "a metric is missing");
        return;
    }
    out->state = rr.feasible ? TRIAL_DONE : TRIAL_INFEASIBLE;
    if (!rr.feasible) snprintf(out->reason, sizeof out->reason, "%s", rr.why);
}

void trial_outcome_free(TrialOutcome *t)
{
    free(t->metrics_json);
    free(t->curve_json);
    t->metrics_json = t->curve_json = NULL;
}

void trial_job_clear(Job *j)
{
    if (j->tmpdir[0]) {
        char path[128];
        snprintf(path, sizeof path, "%s/metrics.json", j->tmpdir);
        unlink(path);
        snprintf(path, sizeof path, "%s/arch.json", j->tmpdir);
        unlink(path);
        rmdir(j->tmpdir);
    }
    if (j->fd > 0) close(j->fd);
    free(j->arch);
    free(j->buf);
    memset(j, 0, sizeof *j);
}
