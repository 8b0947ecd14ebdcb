/* experiment.c — which experiment of the store a run belongs to. An experiment is found by
 * content: the canonical form of the main file and of every module it uses (the AST printed
 * back, so comments, layout and the path the file was named by do not count), with the
 * controller seed. A search resumes the experiment of that source and seed, or begins one; the
 * views (--status, --top, --export) show the one asked for (--experiment N) or the latest and
 * never refuse; --experiments lists them all. */
#include "pipeline_int.h"
#include "print.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull; /* a separator, so "ab"+"c" differs from "a"+"bc" */
}

int experiment_identity(Run *R)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < R->compiled.prog->nmodules; i++) {
        const Module *m = R->compiled.prog->modules[i];
        char *text = print_to_string(&R->compiled.diag, m->ast, true);
        if (!text) {
            fprintf(stderr, "nasrun: out of memory\n");
            return 2;
        }
        /* A module by its name in `use` (relative to the file that uses it, or std.x); the main
         * file by no name: how it was reached on the command line is not part of it. */
        h = fnv(fnv(h, m == R->compiled.prog->main ? "" : m->name), text);
        free(text);
    }
    snprintf(R->source_hash, sizeof R->source_hash, "%016llx", (unsigned long long)h);
    return 0;
}

static char *default_store_path(const char *nas)
{
    size_t n = strlen(nas);
    char *p = malloc(n + 8);
    if (!p) return NULL;
    memcpy(p, nas, n + 1);
    if (n > 4 && !strcmp(p + n - 4, ".nas")) p[n - 4] = 0;
    strcat(p, ".nasdb");
    return p;
}

/* Beside the store: space.nasdb keeps its trials' weights in space.weights/ (suffix
 * ".weights"; another file name: <name>.weights/) and its JIT kernels in space.jit/; a
 * PostgreSQL store, which has no directory, beside the .nas file. */
static char *beside_store(const char *store, const char *nas, const char *suffix)
{
    bool url = !strncmp(store, "postgresql://", 13) || !strncmp(store, "postgres://", 11);
    const char *base = url ? nas : store;
    /* absolute, so the path recorded in the store names the file from any directory */
    char cwd[4096] = "";
    if (base[0] != '/' && !getcwd(cwd, sizeof cwd - 1)) return NULL;
    if (cwd[0]) strcat(cwd, "/");
    size_t n = strlen(cwd) + strlen(base);
    char *p = malloc(n + 16);
    if (!p) return NULL;
    snprintf(p, n + 1, "%s%s", cwd, base);
    const char *ext = url ? ".nas" : ".nasdb";
    size_t e = strlen(ext);
    if (n > e && !strcmp(p + n - e, ext)) p[n - e] = 0;
    strcat(p, suffix);
    return p;
}

char *experiment_store_where(const RunOptions *o)
{
    /* --store, else $NAS_STORE (one setting for every worker of a job), else beside the file. */
    const char *env = getenv("NAS_STORE");
    const char *where = o->store_path ? o->store_path : env && *env ? env : NULL;
    return where ? strdup(where) : default_store_path(o->path);
}

static uint64_t run_seed(const Run *R) { return (uint64_t)R->cfg->controller.seed; }

/* A file that does not compile has no identity (R->cfg is NULL, source_hash empty): it matches
 * no experiment. */
static bool of_file(const Run *R, const StoreExperimentInfo *e)
{
    return R->cfg && strcmp(e->source_hash, R->source_hash) == 0;
}

/* A search: resume the experiment of this source and seed, or begin it. A source that matches
 * no experiment of a store that holds some is an edit: refused unless --new, so a typo does not
 * silently start over (the earlier experiments stay listed either way). */
static int begin(Run *R, const StoreExperimentList *l)
{
    const RunOptions *o = R->o;
    StoreError err;
    if (o->experiment > 0) {
        fprintf(stderr,
                "nasrun: --experiment chooses what --status, --top and --export show; a search runs "
                "the experiment of %s (with --seed, of that seed)\n",
                o->path);
        return 2;
    }
    bool known = l->count == 0;
    for (int i = 0; i < l->count; i++) known |= strcmp(l->items[i].source_hash, R->source_hash) == 0;
    /* --carry-over says the edit is meant: its file begins a new experiment (carry.c) */
    if (!known && !o->start_new && !o->carry_over) {
        const StoreExperimentInfo *last = &l->items[l->count - 1];
        fprintf(stderr,
                "nasrun: %s differs from every experiment in the store (the latest, experiment %lld, has "
                "source hash %.12s; this file %.12s): results of different spaces are not mixed. Begin a new "
                "experiment with --new (the earlier ones stay: --experiments lists them, --experiment N shows "
                "one), or use another --store\n",
                o->path, (long long)last->id, last->source_hash, R->source_hash);
        return 2;
    }
    /* The experiment's key in the store is its identity, so store_experiment_begin resumes
     * exactly it (atomically, when two workers start at once) and --new retires only it. */
    char key[64];
    snprintf(key, sizeof key, "%s seed %llu", R->source_hash, (unsigned long long)run_seed(R));
    JsonBuf src = {0};
    for (int i = 0; i < R->compiled.diag.nfiles; i++)
        jb_printf(&src, "// ---- %s\n%s\n", R->compiled.diag.files[i].path, R->compiled.diag.files[i].text);
    StoreExperiment e = {.name = key,
                         .source = src.s ? src.s : "",
                         .source_hash = R->source_hash,
                         .cmdline = o->cmdline,
                         .seed = run_seed(R),
                         .version = NAS_VERSION};
    bool resumed;
    int rc = store_experiment_begin(R->store, &e, o->start_new, &R->experiment, &resumed, &err);
    free(src.s);
    if (rc) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    if (!o->quiet && o->action == RUN_SEARCH)
        fprintf(stderr,
                resumed ? "nasrun: resuming experiment %lld from the store\n"
                        : "nasrun: experiment %lld begins (seed %llu)\n",
                (long long)R->experiment, (unsigned long long)run_seed(R));
    return 0;
}

/* A view: the experiment asked for, else the latest of this source and seed, else the latest
 * of this source, else the latest; it says when that is not what the file on disk holds. */
static int choose(Run *R, const StoreExperimentList *l)
{
    const RunOptions *o = R->o;
    if (l->count == 0) {
        if (!o->exact) fprintf(stderr, "nasrun: the store holds no experiment yet (nasrun %s starts one)\n", o->path);
        return 2;
    }
    const StoreExperimentInfo *pick = NULL, *same_source = NULL;
    for (int i = 0; i < l->count; i++) {
        const StoreExperimentInfo *e = &l->items[i];
        if (o->experiment > 0 && e->id == o->experiment) pick = e;
        if (o->experiment > 0 || !of_file(R, e)) continue;
        same_source = e;
        if (e->seed == run_seed(R)) pick = e;
    }
    if (o->experiment > 0 && !pick) {
        fprintf(stderr, "nasrun: the store has no experiment %lld (it has %lld .. %lld: --experiments lists them)\n",
                (long long)o->experiment, (long long)l->items[0].id, (long long)l->items[l->count - 1].id);
        return 2;
    }
    if (!pick && o->exact && !same_source) return 2; /* the caller says where it looked */
    if (!pick) pick = same_source ? same_source : &l->items[l->count - 1];
    R->experiment = pick->id;
    if (R->cfg && !of_file(R, pick))
        fprintf(stderr,
                "nasrun: note: %s on disk differs from the source of experiment %lld (source hash %.12s, "
                "the file's %.12s); showing experiment %lld\n",
                o->path, (long long)pick->id, pick->source_hash, R->source_hash, (long long)pick->id);
    else if (R->cfg && pick->seed != run_seed(R))
        fprintf(stderr, "nasrun: note: no experiment of seed %llu; showing experiment %lld (seed %llu)\n",
                (unsigned long long)run_seed(R), (long long)pick->id, (unsigned long long)pick->seed);
    if (l->count > 1 && !o->quiet)
        fprintf(stderr, "nasrun: experiment %lld of %d in the store (--experiments lists them)\n", (long long)pick->id,
                l->count);
    return 0;
}

int experiment_open(Run *R)
{
    const RunOptions *o = R->o;
    char *path = experiment_store_where(o);
    if (!path) return 2;
    StoreError err;
    bool search = o->action == RUN_SEARCH;
    R->store = store_open(path, search, &err);
    R->weights_dir = beside_store(path, o->path, ".weights");
    R->jit_dir = beside_store(path, o->path, ".jit");
    free(path);
    if (!R->store) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    store_set_lock_wait(R->store, sched_stale_seconds());
    StoreExperimentList l = {0};
    if (store_experiments(R->store, &l, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    int rc = o->action == RUN_EXPERIMENTS ? 0 : search ? begin(R, &l) : choose(R, &l);
    store_experiments_free(&l);
    return rc;
}

static void best(double v)
{
    if (isfinite(v)) printf(" %9.4f", v);
    else printf(" %9s", "-");
}

int experiment_list(Run *R)
{
    StoreExperimentList l = {0};
    StoreError err;
    if (store_experiments(R->store, &l, &err) != 0) {
        fprintf(stderr, "nasrun: %s\n", err.msg);
        return 2;
    }
    printf("%d experiment%s in the store", l.count, l.count == 1 ? "" : "s");
    if (R->cfg)
        printf("; %s is source hash %.12s, seed %llu", R->o->path, R->source_hash, (unsigned long long)run_seed(R));
    printf("\n");
    int resumed = -1; /* the one a search of the file would resume: the latest of its identity */
    for (int i = 0; i < l.count; i++)
        if (of_file(R, &l.items[i]) && l.items[i].seed == run_seed(R)) resumed = i;
    printf("%5s  %-19s  %-12s  %6s  %6s %9s %9s\n", "id", "started (UTC)", "source hash", "seed", "trials", "best s1",
           "best s2");
    for (int i = 0; i < l.count; i++) {
        const StoreExperimentInfo *e = &l.items[i];
        char when[32] = "?";
        time_t t = (time_t)e->created;
        struct tm tm;
        if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        printf("%5lld  %-19s  %-12.12s  %6llu  %6d", (long long)e->id, when, e->source_hash,
               (unsigned long long)e->seed, e->trials);
        best(e->best1);
        best(e->best2);
        printf("%s\n", i == resumed             ? "  <- this file"
                       : !of_file(R, e)         ? ""
                       : e->seed == run_seed(R) ? "  (this file, retired by --new)"
                                                : "  (this file, another seed)");
    }
    store_experiments_free(&l);
    return 0;
}
