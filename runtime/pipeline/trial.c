/* trial.c — one trial in its own process, so a crash, a hang or an out-of-memory in one
 * architecture ends that trial only. The child trains (built-in) or execs the external
 * trainer and reports on a pipe; the scheduler (scheduler.c) polls the pipes, and this file
 * reads them, reaps the processes and turns their end into a TrialOutcome. */
#define _GNU_SOURCE /* pipe2 */
#include "pipeline_int.h"
#include "train.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <glob.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { LATENCY_RUNS = 20 };

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
    s->schedule = sc->kind == NAS_SCHED_COSINE         ? SCHED_COSINE
                  : sc->kind == NAS_SCHED_LINEAR_DECAY ? SCHED_LINEAR
                                                       : SCHED_CONSTANT;
    s->min_lr = (float)(sc->kind == NAS_SCHED_COSINE ? sc->min_lr : sc->final);
    s->clip_norm = (float)t->clip_norm;
    s->augment = (TrainAugment){(int)t->augment.crop_padding, (float)t->augment.flip_p, (int)t->augment.cutout_size,
                                (float)t->augment.cutout_p};
    s->label_smoothing = (float)t->label_smoothing;
    s->latency_runs = LATENCY_RUNS;
}

/* Writes all of s to fd; the pipe is ours alone, so a short write only comes from a dying
 * parent. */
static void put_all(int fd, const char *s, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, s + off, n - off);
        if (w <= 0 && errno != EINTR) break;
        if (w > 0) off += (size_t)w;
    }
}

/* Child: the built-in trainer. It reports as an external trainer does (docs/nasrun.md): one
 * JSON object line with its metrics, `status`, `reason` and `curve`. Never returns. */
static _Noreturn void child_error(int fd, const char *reason)
{
    JsonBuf m = {0};
    jb_printf(&m, "{\"status\": \"error\", \"reason\": ");
    jb_string(&m, reason);
    jb_printf(&m, "}\n");
    put_all(fd, m.s, m.len);
    _exit(0);
}

/* What an attempt killed while writing its weights left (weights_save's path.tmp.<pid>), so a
 * resumed trial leaves one file. */
static void remove_partial(const char *path)
{
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s.tmp.*", path);
    glob_t g;
    if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0) return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct stat st;
        if (lstat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid()) unlink(g.gl_pathv[i]);
    }
    globfree(&g);
}

/* What a trial trains: its architecture, and the vector its training settings' decisions come
 * from with the space they belong to (a tune's settings, else the architecture's own). NULL
 * when a tune's architecture ID does not decode; else arch itself or a malloc'd vector. */
static const int32_t *trial_arch(Run *R, int stage, const int32_t *arch, const char *arch_id, const ModelSpace **tms)
{
    const RunStage *st = run_stage(R, stage);
    *tms = R->ms;
    if (!st->tune_ms) return arch;
    *tms = st->tune_ms;
    char mid[128];
    snprintf(mid, sizeof mid, "%s", arch_id);
    char *colon = strchr(mid, ':');
    if (colon) *colon = 0;
    int n = space_count(R->space);
    int32_t *march = malloc(sizeof *march * (size_t)(n ? n : 1));
    SpaceError se;
    if (march && space_id_to_arch(R->space, mid, march, &se) == SPACE_OK) return march;
    free(march);
    return NULL;
}

/* Whether the reward has a hard constraint on a figure the built-in trainer knows before it
 * trains (params, flops, memory): only then is a proposal worth checking first. */
static bool hard_on_figures(const NasReward *r)
{
    for (int i = 0; r && i < r->nconstraints; i++) {
        NasMetric k = r->constraints[i].metric.metric;
        if (r->constraints[i].hard && (k == NAS_METRIC_PARAMS || k == NAS_METRIC_FLOPS || k == NAS_METRIC_MEMORY))
            return true;
    }
    return false;
}

bool trial_precheck(Run *R, const SchedTrial *t, TrialOutcome *out)
{
    /* An external trainer measures its own figures: they are its report's, not nas's graph's. */
    if (R->trainer || !hard_on_figures(R->reward)) return false;
    double t0 = store_now();
    const ModelSpace *tms;
    const int32_t *arch = trial_arch(R, t->stage, t->arch, t->arch_id, &tms);
    if (!arch) return false; /* the trial itself reports it */
    Arena a;
    arena_init(&a);
    ModelError me;
    NasTraining nt;
    TrainSettings s;
    TrainResult fig = {0};
    char why[300];
    Graph *g = model_instantiate(R->ms, arch, &a, &me);
    bool known = g && model_training(tms, tms == R->ms ? arch : t->arch, run_training(R, t->stage), &nt, &a, &me) == 0;
    if (known) {
        trial_settings(&nt, run_threads(R, t->stage), R->o, &s);
        known = train_figures(g, &s, &fig, why, sizeof why) == 0;
    }
    arena_free(&a);
    if (arch != t->arch) free((int32_t *)arch);
    if (!known) return false; /* a graph that does not build fails as the trial */
    RewardMetrics m;
    reward_metrics_init(&m);
    m.params = (double)fig.params;
    m.flops = (double)fig.flops;
    m.memory = (double)fig.planned_bytes;
    if (reward_hard_holds(R->reward, &m, why, sizeof why)) return false;
    memset(out, 0, sizeof *out);
    out->state = TRIAL_INFEASIBLE;
    out->reward = NAN;
    out->m = m;
    snprintf(out->reason, sizeof out->reason, "%s; not trained: its figures are known before training", why);
    JsonBuf j = {0};
    jb_printf(&j, "{\"params\": %lld, \"flops\": %lld, \"memory\": %lld, \"trained\": false}", (long long)fig.params,
              (long long)fig.flops, (long long)fig.planned_bytes);
    out->metrics_json = j.s;
    out->seconds = store_now() - t0;
    return true;
}

static void child_train(Run *R, Job *j, int fd)
{
    Arena a;
    arena_init(&a);
    ModelError me;
    JsonBuf m = {0};
    const ModelSpace *tms;
    const int32_t *arch = trial_arch(R, j->stage, j->arch, j->arch_id, &tms); /* the child's: it exits */
    if (!arch) child_error(fd, "bad architecture ID");
    const RunStage *st = run_stage(R, j->stage);
    Graph *g = model_instantiate_at(R->ms, arch, &st->scale, &a, &me);
    if (!g) child_error(fd, me.msg);
    NasTraining t;
    if (model_training(tms, tms == R->ms ? arch : j->arch, run_training(R, j->stage), &t, &a, &me) != 0)
        child_error(fd, me.msg);
    TrainSettings s;
    trial_settings(&t, run_threads(R, j->stage), R->o, &s);
    s.slot_fd = R->latency_slot;
    s.jit_cache = R->jit_dir;
    /* Under a proxy's resolution or width the graph trained is built for the smaller input or
     * with fewer filters, but the architecture's params, FLOPs and memory are those of its full
     * graph (what the reward and stage 2 see); its latency too, measured on that graph when the
     * reward reads it (else not at all: the small graph's would be a figure of no architecture). */
    bool scaled = model_scale_changes(&st->scale);
    TrainResult full = {0};
    full.latency_ms = NAN;
    if (scaled) {
        char why[300];
        Graph *gf = model_instantiate(R->ms, arch, &a, &me);
        if (!gf) child_error(fd, me.msg);
        if (train_figures(gf, &s, &full, why, sizeof why)) child_error(fd, why);
        if (config_reward_reads_latency(R->reward) && train_latency(gf, &s, &full)) child_error(fd, full.msg);
        s.latency_runs = 0;
    }
    TrainData d;
    run_stage_data(R, j->stage, &d);
    /* the trained weights, beside the store; weights_record (the parent) checksums them */
    char wpath[4096], exp[24], stage[16];
    snprintf(exp, sizeof exp, "%lld", (long long)R->experiment);
    snprintf(stage, sizeof stage, "%d", j->stage);
    const char *meta[] = {"format", "nas",         "arch_id",      j->arch_id,    "experiment", exp, "stage",
                          stage,    "source_hash", R->source_hash, "nas_version", NAS_VERSION,  NULL};
    if (weights_wanted(R, j->stage) && weights_path(R, j->stage, j->arch_id, wpath, sizeof wpath) == 0) {
        if (mkdir(R->weights_dir, 0777) != 0 && errno != EEXIST) {
            char why[600];
            snprintf(why, sizeof why, "weights: cannot create %s: %s", R->weights_dir, strerror(errno));
            child_error(fd, why);
        }
        remove_partial(wpath);
        s.save_weights = wpath;
        s.weights_meta = meta;
    }
    s.epoch_json = fdopen(dup(fd), "w"); /* the epoch lines a search's pruning reads */
    TrainResult r;
    memset(&r, 0, sizeof r);
    int rc = train_run(g, &d, &s, &r);
    if (s.epoch_json) fclose(s.epoch_json);
    if (scaled) {
        r.params = full.params;
        r.flops = full.flops;
        r.planned_bytes = full.planned_bytes;
        r.latency_ms = full.latency_ms;
    }
    jb_printf(&m, "{\"status\": \"%s\", \"reason\": ",
              rc == 0 && r.status == TRAIN_OK ? "ok"
              : r.status == TRAIN_DIVERGED    ? "diverged"
                                              : "error");
    jb_string(&m, r.msg);
    jb_printf(&m, ", \"accuracy\": ");
    jb_number(&m, r.val_acc);
    jb_printf(&m, ", \"loss\": ");
    jb_number(&m, r.val_loss);
    jb_printf(&m, ", \"latency\": ");
    jb_number(&m, r.latency_ms / 1e3);
    jb_printf(&m, ", \"params\": %lld, \"flops\": %lld, \"memory\": %lld, \"train_seconds\": ", (long long)r.params,
              (long long)r.flops, (long long)r.planned_bytes);
    jb_number(&m, r.train_seconds);
    jb_printf(&m, ", \"images_per_s\": ");
    jb_number(&m, r.images_per_s);
    jb_printf(&m, ", \"jit_ms\": ");
    jb_number(&m, r.jit_ms);
    /* what it trained and validated on: the store then proves which data a stage used */
    jb_printf(&m, ", \"rss_peak\": %lld, \"train_examples\": %lld, \"val_examples\": %lld", (long long)r.rss_peak,
              (long long)d.ntrain, (long long)d.nval);
    /* the height of the images it trained on (a proxy's resolution, else the declared) */
    if (st->fit && st->fit->ds->ninput == 3) jb_printf(&m, ", \"resolution\": %d", d.train->h);
    /* the width multiplier of its filters (a proxy's, else 1) */
    jb_printf(&m, ", \"width\": %.10g", st->scale.width > 0 ? st->scale.width : 1);
    jb_printf(&m, ", \"curve\": [");
    for (int e = 0; e < r.nepochs; e++) {
        const EpochStat *es = &r.curve[e];
        jb_printf(&m, "%s{\"epoch\": %d, \"train_loss\": ", e ? ", " : "", e + 1);
        jb_number(&m, es->train_loss);
        jb_printf(&m, ", \"train_acc\": ");
        jb_number(&m, es->train_acc);
        jb_printf(&m, ", \"val_loss\": ");
        jb_number(&m, es->val_loss);
        jb_printf(&m, ", \"val_acc\": ");
        jb_number(&m, es->val_acc);
        jb_printf(&m, ", \"seconds\": ");
        jb_number(&m, es->seconds);
        jb_printf(&m, "}");
    }
    jb_printf(&m, "]}\n");
    put_all(fd, m.s, m.len);
    _exit(0);
}

/* The stage's training settings for this architecture (its decided values applied) as JSON,
 * NAS_TRAINING: an external trainer trains, so they reach it or they would have no effect. */
static char *training_json(const NasTraining *t)
{
    static const char *const opt[] = {"sgd", "adam", "adamw"};
    static const char *const sched[] = {"constant", "linear_warmup", "cosine", "linear_decay"};
    static const char *const prec[] = {"fp32", "bf16", "fp16"};
    const NasOptimizer *o = &t->optimizer;
    JsonBuf b = {0};
    jb_printf(&b, "{\"epochs\": %lld, \"batch\": %lld, \"seed\": %lld, \"optimizer\": {\"kind\": \"%s\", \"lr\": ",
              (long long)t->epochs, (long long)t->batch, (long long)t->seed, opt[o->kind]);
    jb_number(&b, o->lr);
    if (o->kind == NAS_OPT_SGD) {
        jb_printf(&b, ", \"momentum\": ");
        jb_number(&b, o->momentum);
        jb_printf(&b, ", \"nesterov\": %s", o->nesterov ? "true" : "false");
    } else {
        jb_printf(&b, ", \"beta1\": ");
        jb_number(&b, o->beta1);
        jb_printf(&b, ", \"beta2\": ");
        jb_number(&b, o->beta2);
        jb_printf(&b, ", \"eps\": ");
        jb_number(&b, o->eps);
    }
    jb_printf(&b, ", \"weight_decay\": ");
    jb_number(&b, o->weight_decay);
    jb_printf(&b, "}, \"schedule\": {\"kind\": \"%s\", \"warmup\": %lld, \"min_lr\": ", sched[t->schedule.kind],
              (long long)t->schedule.warmup);
    jb_number(&b, t->schedule.min_lr);
    jb_printf(&b, ", \"final\": ");
    jb_number(&b, t->schedule.final);
    jb_printf(&b, "}, \"clip_norm\": ");
    jb_number(&b, t->clip_norm);
    const NasAugment *a = &t->augment;
    jb_printf(&b, ", \"precision\": \"%s\", \"augment\": {\"crop_padding\": %lld, \"flip_p\": ", prec[t->precision],
              (long long)a->crop_padding);
    jb_number(&b, a->flip_p);
    jb_printf(&b, ", \"cutout_size\": %lld, \"cutout_p\": ", (long long)a->cutout_size);
    jb_number(&b, a->cutout_p);
    jb_printf(&b, "}, \"label_smoothing\": ");
    jb_number(&b, t->label_smoothing);
    jb_printf(&b, "}");
    return b.s;
}

/* Child: the external trainer (`trainer exec "cmd"`): the architecture goes in through a JSON
 * file and environment variables; metrics come back as JSON lines on stdout or in a file. */
static void child_exec(Run *R, Job *j, int fd)
{
    char arch_file[300], metrics_file[300], seq[32], stage[8];
    snprintf(arch_file, sizeof arch_file, "%s/arch.json", j->tmpdir);
    snprintf(metrics_file, sizeof metrics_file, "%s/metrics.json", j->tmpdir);
    char *dec = run_trial_decisions_json(R, j->stage, j->arch_id, j->arch);
    FILE *f = fopen(arch_file, "w");
    if (f) {
        fprintf(f, "{\"id\": \"%s\", \"stage\": %d, \"seq\": %lld, \"decisions\": %s}\n", j->arch_id, j->stage,
                (long long)j->seq, dec ? dec : "{}");
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
    char *data = run_stage_data_json(R, j->stage);
    setenv("NAS_DATA", data ? data : "{}", 1);
    free(data);
    Arena a;
    arena_init(&a);
    ModelError me;
    NasTraining t;
    const ModelSpace *tms;
    const int32_t *arch = trial_arch(R, j->stage, j->arch, j->arch_id, &tms);
    if (!arch) child_error(fd, "bad architecture ID");
    if (model_training(tms, tms == R->ms ? arch : j->arch, run_training(R, j->stage), &t, &a, &me) != 0)
        child_error(fd, me.msg);
    char epochs[32], *training = training_json(&t);
    snprintf(epochs, sizeof epochs, "%lld", (long long)t.epochs);
    setenv("NAS_EPOCHS", epochs, 1);
    setenv("NAS_TRAINING", training ? training : "{}", 1);
    free(training);
    if (dup2(fd, 1) < 0) _exit(121); /* dup2 clears close-on-exec on fd 1 */
    /* The trainer runs in the .nas file's directory: its command's relative paths are the file's. */
    if (chdir(R->dir) != 0) {
        printf("cannot enter %s: %s\n", R->dir, strerror(errno));
        _exit(126);
    }
    execl("/bin/sh", "sh", "-c", R->trainer->exec, (char *)NULL);
    _exit(127);
}

/* The supervisor's answer to its worker's death (PR_SET_PDEATHSIG): end the whole trial, the
 * shell and everything it started, which the kernel's parent-death signal alone would not. */
static void on_worker_death(int sig)
{
    (void)sig;
    kill(0, SIGKILL);
}

/* Child: between nasrun and an external trainer, so that a worker killed with -9 takes its
 * trial's whole process group with it. Relays how the trainer ended: its exit code, or
 * 128 + the signal that killed it (as a shell reports it). Never returns. */
static void child_supervise(Run *R, Job *j, int fd)
{
    signal(SIGTERM, on_worker_death);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    pid_t worker = getppid(), self = getpid(), pid = fork();
    if (pid < 0) _exit(126);
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the supervisor itself was killed */
        if (getppid() != self) _exit(126);
        child_exec(R, j, fd);
    }
    close(fd);
    if (getppid() != worker) kill(0, SIGKILL); /* the worker died before prctl */
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) _exit(126);
    _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

static const char *tmp_root(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* <tmp>/nas-trial-<source hash>-e<experiment>-s<stage>-q<seq>-: what every attempt of a trial
 * names its directory with, so a resumed worker finds the ones of dead attempts. */
static int trial_dir_prefix(Run *R, int stage, int64_t seq, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/nas-trial-%.12s-e%lld-s%d-q%lld-", tmp_root(), R->source_hash,
                     (long long)R->experiment, stage, (long long)seq);
    return n > 0 && (size_t)n + 7 <= size ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove(path); /* best effort: go on with the rest */
    return 0;
}

static void remove_tree(const char *dir) { nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

void trial_dirs_remove(Run *R, int stage, int64_t seq)
{
    if (!R->trainer) return;
    char pattern[300];
    if (trial_dir_prefix(R, stage, seq, pattern, sizeof pattern - 1)) return;
    strcat(pattern, "*");
    glob_t g;
    if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0) return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct stat st;
        /* only our own directories: never follow a link someone else put in /tmp */
        if (lstat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid()) remove_tree(g.gl_pathv[i]);
    }
    globfree(&g);
}

int trial_spawn(Run *R, Job *j)
{
    j->tmpdir[0] = 0;
    j->fd = -1;
    if (R->trainer) {
        if (trial_dir_prefix(R, j->stage, j->seq, j->tmpdir, sizeof j->tmpdir)) {
            fprintf(stderr, "nasrun: the temporary directory path under %s is too long\n", tmp_root());
            j->tmpdir[0] = 0;
            return -1;
        }
        strcat(j->tmpdir, "XXXXXX");
        if (!mkdtemp(j->tmpdir)) {
            fprintf(stderr, "nasrun: cannot create a directory for the trainer: %s\n", strerror(errno));
            j->tmpdir[0] = 0;
            return -1;
        }
    }
    j->out = malloc(TRIAL_OUTPUT_MAX + 1);
    int p[2];
    if (!j->out || pipe2(p, O_CLOEXEC) != 0) {
        fprintf(stderr, "nasrun: cannot create a pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
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
        sched_child_signals();
        if (R->trainer) child_supervise(R, j, p[1]);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* dies with its worker */
        if (getppid() != parent) _exit(1);
        child_train(R, j, p[1]);
    }
    setpgid(pid, pid); /* also here: no race with the kill below */
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    j->pid = pid;
    j->fd = p[0];
    j->busy = true;
    j->started = j->last_beat = store_now();
    j->len = 0;
    j->out[0] = 0;
    j->timed_out = j->exited = false;
    return 0;
}

double trial_timeout(Run *R)
{
    if (R->o->trial_timeout > 0) return R->o->trial_timeout;
    return R->trainer && R->trainer->timeout > 0 ? R->trainer->timeout : 0;
}

/* Appends to the kept output, dropping the oldest bytes beyond TRIAL_OUTPUT_MAX: memory stays
 * flat however much a trainer prints, and the end (its metrics, its last words) is kept. */
static void keep(Job *j, const char *b, size_t n)
{
    if (n >= TRIAL_OUTPUT_MAX) {
        memcpy(j->out, b + n - TRIAL_OUTPUT_MAX, TRIAL_OUTPUT_MAX);
        j->len = TRIAL_OUTPUT_MAX;
    } else {
        if (j->len + n > TRIAL_OUTPUT_MAX) {
            size_t drop = j->len + n - TRIAL_OUTPUT_MAX;
            memmove(j->out, j->out + drop, j->len - drop);
            j->len -= drop;
        }
        memcpy(j->out + j->len, b, n);
        j->len += n;
    }
    j->out[j->len] = 0;
}

void trial_read(Job *j)
{
    static char chunk[TRIAL_OUTPUT_MAX];
    while (j->fd >= 0) {
        ssize_t n = read(j->fd, chunk, sizeof chunk);
        if (n > 0) {
            keep(j, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close(j->fd); /* end of file, or an error: no more */
        j->fd = -1;
    }
}

void trial_kill(Job *j)
{
    if (j->busy && !j->exited) kill(-j->pid, SIGKILL); /* the leader is not reaped: no reuse */
}

bool trial_reap(Job *j)
{
    if (!j->exited && waitpid(j->pid, &j->status, WNOHANG) == j->pid) {
        /* A trial whose process exited is over even if a process it started keeps the pipe
         * open: what is left of its process group goes (the leader is reaped, but the group
         * lives on while a member does, so its id is not reused yet). */
        kill(-j->pid, SIGKILL);
        j->exited = true;
    }
    if (j->exited) trial_read(j);
    return j->exited;
}

/* An epoch line, {"epoch": k, ...}: a trial's progress (prune.c), not its report. */
static bool epoch_line(const char *p, const char *nl)
{
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (!memmem(p, n, "\"epoch\"", 7)) return false;
    char *text = strndup(p, n);
    double e;
    bool is = text && json_get_number(text, "epoch", &e);
    free(text);
    return is;
}

/* The last line of the output that starts with '{' (after blanks) and is not an epoch line:
 * the report. malloc'd. */
static char *last_object_line(const char *buf)
{
    const char *line = NULL;
    for (const char *p = buf; p && *p;) {
        const char *nl = strchr(p, '\n');
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '{' && !epoch_line(p, nl)) line = p;
        p = nl ? nl + 1 : NULL;
    }
    if (!line) return NULL;
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    return strndup(line, n);
}

/* $NAS_METRICS_FILE: NULL when the trainer did not write it; else its text, or *why. */
static char *read_metrics_file(const char *path, char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = malloc(TRIAL_OUTPUT_MAX + 2);
    size_t n = s ? fread(s, 1, TRIAL_OUTPUT_MAX + 1, f) : 0;
    bool err = ferror(f);
    fclose(f);
    if (!s || err) {
        snprintf(why, size, "metrics file %s cannot be read", path);
        free(s);
        return NULL;
    }
    if (n > TRIAL_OUTPUT_MAX) {
        snprintf(why, size, "metrics file %s is larger than %d KiB", path, TRIAL_OUTPUT_MAX / 1024);
        free(s);
        return NULL;
    }
    s[n] = 0;
    if (strlen(s) != n) {
        snprintf(why, size, "metrics file %s holds a NUL byte", path);
        free(s);
        return NULL;
    }
    return s;
}

/* How the trial's process ended, when not normally: "killed by signal 11 (Segmentation
 * fault)". A shell (`sh -c`) and the supervisor report a signal as exit code 128 + n. */
static bool killed_by(int status, bool shell, char *out, size_t size)
{
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    if (!sig && shell && code > 128 && code < 128 + 65) sig = code - 128;
    if (!sig) return false;
    snprintf(out, size, "crashed: killed by signal %d (%s)%s", sig, strsignal(sig),
             sig == SIGKILL ? ", possibly out of memory" : "");
    return true;
}

void trial_outcome(Run *R, Job *j, TrialOutcome *out)
{
    memset(out, 0, sizeof *out);
    reward_metrics_init(&out->m);
    out->reward = NAN;
    out->seconds = store_now() - j->started;
    out->state = TRIAL_FAILED;
    const char *buf = j->out ? j->out : "";
    int status = j->status;
    if (j->timed_out) {
        snprintf(out->reason, sizeof out->reason, "timed out after %.0f s", trial_timeout(R));
        return;
    }
    if (killed_by(status, R->trainer != NULL, out->reason, sizeof out->reason)) return;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (R->trainer && code != 0) {
        snprintf(out->reason, sizeof out->reason, "trainer exited with status %d", code);
        return;
    }
    char why[sizeof out->reason] = "", path[300];
    char *text = NULL;
    bool from_file = false;
    if (R->trainer) {
        snprintf(path, sizeof path, "%s/metrics.json", j->tmpdir);
        text = read_metrics_file(path, why, sizeof why);
        if (why[0]) {
            snprintf(out->reason, sizeof out->reason, "%s", why);
            return;
        }
        from_file = text != NULL;
    }
    if (!text) text = last_object_line(buf);
    if (!text) {
        if (!R->trainer) {
            snprintf(out->reason, sizeof out->reason, "the trial process ended without a report (exit %d)", code);
            return;
        }
        const char *end = buf + strlen(buf), *last = end;
        while (last > buf && (last[-1] == '\n' || last[-1] == '\r')) last--;
        const char *from = last;
        while (from > buf && from[-1] != '\n') from--;
        snprintf(out->reason, sizeof out->reason,
                 "trainer printed no metrics (a JSON object line "
                 "like {\"accuracy\": 0.9}); its last output: %.*s",
                 (int)(last - from < 120 ? last - from : 120), from);
        return;
    }
    TrialReport rep;
    int prc = json_report_parse(text, &rep, &out->m, out->names, sizeof out->names);
    free(text);
    if (prc != 0) {
        if (from_file) snprintf(out->reason, sizeof out->reason, "metrics file %.220s: %s", path, rep.why);
        else if (!strncmp(rep.why, "metric ", 7)) snprintf(out->reason, sizeof out->reason, "%s", rep.why);
        else snprintf(out->reason, sizeof out->reason, "bad metrics line: %s", rep.why);
        return;
    }
    out->metrics_json = rep.metrics_json;
    out->curve_json = rep.curve_json;
    if (strcmp(rep.status, "ok") != 0) {
        snprintf(out->reason, sizeof out->reason, "%s%s%s", !strcmp(rep.status, "diverged") ? "diverged" : "error",
                 rep.reason[0] ? ": " : "", rep.reason);
        return;
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
    if (j->tmpdir[0]) remove_tree(j->tmpdir);
    if (j->fd >= 0) close(j->fd);
    free(j->arch);
    free(j->out);
    memset(j, 0, sizeof *j);
    j->fd = -1;
}
