/* controller_bench.c — search quality of the controllers on known-reward spaces that resemble
 * NAS, built from a seed, with Gaussian noise on every reward told:
 *   nk    an NK landscape (Kauffman): 10 categorical decisions of 4 values, each contributing a
 *         random table over itself and its next K = 2 neighbours (cyclic); reward = mean
 *         contribution; optimum by enumerating the 4^10 architectures. Noise sd 0.01.
 *   nkr   nk's tables (the same per seed), but contribution i depends on decision i and 2 others
 *         drawn per seed: no interaction follows the decisions' order in the table, which a
 *         surrogate that assumes neighbours interact would wrongly exploit on nk. Optimum and
 *         noise as nk's.
 *   cell  a conditional tabular space: depth 1..4; per layer an op (5) and a width (16..128 by
 *         16) that exist up to the depth; a skip bool; a log-scale continuous learning rate.
 *         Reward = base + per-layer op quality + an op-dependent best width (quadratic) +
 *         pairwise terms between consecutive ops + a depth term + skip x depth + a quadratic in
 *         log lr around a hidden optimum; optimum by dynamic programming. Noise sd 0.005.
 *   table a NAS-Bench-201-like cell (15,625 architectures): an op of 5 on each of 6 edges of
 *         a 4-node DAG; reward = chance (0.1) when no input-output path survives the `none`
 *         ops, else a saturating function of the surviving paths' per-edge op qualities, a
 *         bonus for a skip on a deep path, and a fixed idiosyncratic part per architecture
 *         (what a trained network's seed leaves in a benchmark table); optimum by enumerating
 *         them. Noise sd 0.005.
 * Each (space, seed) is one landscape and one controller seed. Printed: mean and standard
 * error over the seeds of the best TRUE reward among the proposals after 50, 100 and 200
 * asks (every ask counts, repeats too), and the share of the evolution-to-optimum gap the
 * controller closes at 100. `--latency` instead times one ask after 1,000 told trials on a
 * 32-decision space (`--only NAME`: one controller); `--dump SPACE FILE` writes the nk, cell or table landscapes
 * of seeds 1..N as JSON (for tests/bench/tpe_vs_optuna.py).
 * Usage: controller_bench [--seeds N] [--latency] [--only NAME] [--space S] [--dump SPACE FILE]
 *                           [--reinforce lr,decay,entropy] [--tpe startup,candidates]
 *                           [--bo startup] [--ppo lr,clip,batch,epochs,entropy] */
#include "controller.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NK_N = 10, NK_A = 4, NK_K = 2, CELL_L = 4, CELL_OPS = 5, CELL_W = 8, MAXSLOTS = 40 };
enum { TB_EDGES = 6, TB_OPS = 5 };
static const int budgets[] = {50, 100, 200};
enum { NB = 3, MAXB = 200 };

typedef struct Landscape {
    Space *space;
    double noise, optimum;
    double (*reward)(const struct Landscape *, const int32_t *);
    /* nk, nkr: contribution i reads decisions i, nbr[i][0] and nbr[i][1] */
    double nk[NK_N][NK_A * NK_A * NK_A];
    int nbr[NK_N][NK_K];
    /* cell */
    double op_q[CELL_L][CELL_OPS], pair[CELL_OPS][CELL_OPS], depth_t[CELL_L + 1];
    int wopt[CELL_OPS];
    double lr_opt; /* in [0, 1]: position of the best lr on the log scale */
    /* table */
    double tq[TB_EDGES][TB_OPS], tw[4];
    uint64_t tseed;
} Landscape;

static double uni(SpaceRng *r) { return (double)(space_rng_next(r) >> 11) * 0x1.0p-53; }

static double gauss(SpaceRng *r)
{
    double u = 1 - uni(r), v = uni(r);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- nk ---- */

static double nk_reward(const Landscape *L, const int32_t *a)
{
    double f = 0;
    for (int i = 0; i < NK_N; i++) f += L->nk[i][a[i] * NK_A * NK_A + a[L->nbr[i][0]] * NK_A + a[L->nbr[i][1]]];
    return f / NK_N;
}

/* random_nbr: nkr's neighbours, from a stream of their own so the tables equal nk's. */
static void nk_build(Landscape *L, uint64_t seed, bool random_nbr)
{
    SpaceRng r;
    space_rng_seed(&r, seed * 7919 + 1);
    L->space = space_new();
    SpaceLoc loc = {"nk", 1, 1};
    const char *ops[NK_A] = {"conv3", "conv5", "pool", "skip"};
    for (int i = 0; i < NK_N; i++) {
        char name[16];
        snprintf(name, sizeof name, "op%d", i);
        space_add_labels(L->space, name, loc, NK_A, ops);
        for (int j = 0; j < NK_A * NK_A * NK_A; j++) L->nk[i][j] = uni(&r);
        for (int k = 0; k < NK_K; k++) L->nbr[i][k] = (i + 1 + k) % NK_N;
    }
    if (random_nbr) {
        SpaceRng q;
        space_rng_seed(&q, seed * 6007 + 11);
        for (int i = 0; i < NK_N; i++)
            for (int k = 0; k < NK_K; k++) {
                int j;
                do j = (int)space_rng_below(&q, NK_N);
                while (j == i || (k > 0 && j == L->nbr[i][0]));
                L->nbr[i][k] = j;
            }
    }
    L->noise = 0.01;
    L->reward = nk_reward;
    int32_t a[NK_N] = {0};
    double best = -1;
    for (long code = 0; code < 1L << (2 * NK_N); code++) {
        for (int i = 0; i < NK_N; i++) a[i] = (int32_t)(code >> (2 * i) & 3);
        double f = nk_reward(L, a);
        if (f > best) best = f;
    }
    L->optimum = best;
}

/* ---- cell ---- */

/* Slots: 0 depth, 1 + 2i op[i], 2 + 2i width[i], 9 skip, 10 lr. */
enum { C_DEPTH = 0, C_SKIP = 1 + 2 * CELL_L, C_LR, C_SLOTS };

static double lr_term(const Landscape *L, int32_t q)
{
    double x = (double)q / (SPACE_FINE_POINTS - 1) - L->lr_opt;
    return -0.2 * x * x;
}

static double cell_reward(const Landscape *L, const int32_t *a)
{
    int depth = a[C_DEPTH] + 1;
    double r = 0.6 + L->depth_t[depth] + lr_term(L, a[C_LR]);
    for (int i = 0; i < depth; i++) {
        int op = a[1 + 2 * i], w = a[2 + 2 * i];
        double dw = (w - L->wopt[op]) / (double)(CELL_W - 1);
        r += L->op_q[i][op] - 0.04 * dw * dw;
        if (i > 0) r += L->pair[a[1 + 2 * (i - 1)]][op];
    }
    if (a[C_SKIP]) r += depth >= 3 ? 0.02 : -0.01;
    return r;
}

static void cell_build(Landscape *L, uint64_t seed)
{
    SpaceRng r;
    space_rng_seed(&r, seed * 104729 + 3);
    Space *s = L->space = space_new();
    SpaceLoc loc = {"cell", 1, 1};
    const char *ops[CELL_OPS] = {"conv3", "conv5", "sep3", "pool", "identity"};
    int depth = space_add_int_range(s, "depth", loc, 1, CELL_L, 1);
    for (int i = 0; i < CELL_L; i++) {
        char name[32];
        snprintf(name, sizeof name, "layer[%d].op", i);
        int op = space_add_labels(s, name, loc, CELL_OPS, ops);
        snprintf(name, sizeof name, "layer[%d].width", i);
        int w = space_add_int_range(s, name, loc, 16, 16 * CELL_W, 16);
        if (i > 0) {
            space_when(s, op, depth, i, CELL_L - 1);
            space_when(s, w, depth, i, CELL_L - 1);
        }
    }
    space_add_bool(s, "skip", loc);
    space_add_float_range(s, "lr", loc, 1e-4, 1e-1, 0, true);
    for (int i = 0; i < CELL_L; i++)
        for (int o = 0; o < CELL_OPS; o++) L->op_q[i][o] = 0.06 * uni(&r);
    for (int o = 0; o < CELL_OPS; o++) {
        L->wopt[o] = (int)space_rng_below(&r, CELL_W);
        for (int p = 0; p < CELL_OPS; p++) L->pair[o][p] = 0.04 * uni(&r) - 0.02;
    }
    for (int d = 1; d <= CELL_L; d++) L->depth_t[d] = -0.03 * uni(&r);
    L->lr_opt = 0.2 + 0.6 * uni(&r);
    L->noise = 0.005;
    L->reward = cell_reward;
    /* Optimum: per depth, the best op chain by dynamic programming (each layer at its op's
     * best width), the better skip, and lr at the grid point nearest its optimum. */
    double best = -INFINITY;
    for (int depth_v = 1; depth_v <= CELL_L; depth_v++) {
        double v[CELL_OPS];
        for (int o = 0; o < CELL_OPS; o++) v[o] = L->op_q[0][o];
        for (int i = 1; i < depth_v; i++) {
            double nv[CELL_OPS];
            for (int o = 0; o < CELL_OPS; o++) {
                nv[o] = -INFINITY;
                for (int p = 0; p < CELL_OPS; p++) nv[o] = fmax(nv[o], v[p] + L->pair[p][o]);
                nv[o] += L->op_q[i][o];
            }
            memcpy(v, nv, sizeof v);
        }
        double chain = -INFINITY;
        for (int o = 0; o < CELL_OPS; o++) chain = fmax(chain, v[o]);
        double skip = depth_v >= 3 ? 0.02 : 0;
        best = fmax(best, 0.6 + L->depth_t[depth_v] + chain + skip);
    }
    int32_t q = (int32_t)lround(L->lr_opt * (SPACE_FINE_POINTS - 1));
    L->optimum = best + lr_term(L, q);
}

/* ---- table ---- */

/* A NAS-Bench-201-like cell: 4 nodes, an op on each of the 6 edges i -> j (i < j), ops none |
 * skip | conv1 | conv3 | pool; the 4 input-to-output paths: e3, e0 e4, e1 e5, e0 e2 e5. */
static const int tb_paths[4][3] = {{3, -1, -1}, {0, 4, -1}, {1, 5, -1}, {0, 2, 5}};

static double table_reward(const Landscape *L, const int32_t *a)
{
    double cap = 0;
    bool alive = false, deep_skip = false;
    for (int p = 0; p < 4; p++) {
        double c = 0;
        int convs = 0, skips = 0;
        bool ok = true;
        for (int k = 0; k < 3 && tb_paths[p][k] >= 0; k++) {
            int e = tb_paths[p][k], op = a[e];
            ok = ok && op != 0;
            c += L->tq[e][op];
            convs += op == 2 || op == 3;
            skips += op == 1;
        }
        if (!ok) continue;
        alive = true;
        cap += L->tw[p] * c;
        deep_skip = deep_skip || (skips > 0 && convs >= 2);
    }
    if (!alive) return 0.1; /* no path from input to output: chance accuracy */
    /* A fixed idiosyncratic part per architecture, as a trained network's seed leaves. */
    uint64_t h = L->tseed;
    for (int e = 0; e < TB_EDGES; e++) h = (h ^ (uint64_t)a[e]) * 0x100000001b3ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    double idio = 0.006 * ((double)(h >> 11) * 0x1.0p-53 - 0.5);
    return 0.5 + 0.4 * (1 - exp(-cap)) + (deep_skip ? 0.02 : 0) + idio;
}

static void table_build(Landscape *L, uint64_t seed)
{
    SpaceRng r;
    space_rng_seed(&r, seed * 15485863 + 5);
    L->space = space_new();
    SpaceLoc loc = {"table", 1, 1};
    const char *ops[TB_OPS] = {"none", "skip", "conv1", "conv3", "pool"};
    static const double base[TB_OPS] = {0, 0.05, 0.3, 0.5, 0.1};
    for (int e = 0; e < TB_EDGES; e++) {
        char name[16];
        snprintf(name, sizeof name, "edge%d", e);
        space_add_labels(L->space, name, loc, TB_OPS, ops);
        for (int o = 0; o < TB_OPS; o++) L->tq[e][o] = o ? base[o] + 0.15 * uni(&r) : 0;
    }
    for (int p = 0; p < 4; p++) L->tw[p] = 0.3 + 0.7 * uni(&r);
    L->tseed = space_rng_next(&r);
    L->noise = 0.005;
    L->reward = table_reward;
    int32_t a[TB_EDGES];
    double best = -1;
    for (int code = 0; code < 15625; code++) {
        for (int e = 0, c = code; e < TB_EDGES; e++, c /= TB_OPS) a[e] = c % TB_OPS;
        best = fmax(best, table_reward(L, a));
    }
    L->optimum = best;
}

/* ---- dump: the landscapes for another optimiser (tests/bench/tpe_vs_optuna.py) ---- */

static void dump_doubles(FILE *f, const char *name, const double *v, int n)
{
    fprintf(f, "\"%s\": [", name);
    for (int i = 0; i < n; i++) fprintf(f, "%s%.17g", i ? ", " : "", v[i]);
    fprintf(f, "]");
}

/* Seeds 1..seeds of one space as JSON: per seed the generation parameters (what the reward
 * is computed from), the optimum, the noise sd, and CHECKS random architectures (decision
 * tables, SPACE_INACTIVE = -1) with their true rewards, so a re-implementation can prove
 * itself equal. 0 on success. */
enum { CHECKS = 50 };

static int dump(const char *space, int seeds, const char *path)
{
    int sp = strcmp(space, "nk") == 0 ? 0 : strcmp(space, "cell") == 0 ? 1 : strcmp(space, "table") == 0 ? 2 : -1;
    FILE *f = sp < 0 ? NULL : fopen(path, "w");
    if (!f) {
        fprintf(stderr, "controller_bench: --dump %s %s: %s\n", space, path, sp < 0 ? "unknown space" : "cannot write");
        return 1;
    }
    fprintf(f, "{\"space\": \"%s\", \"fine_points\": %d, \"seeds\": [\n", space, SPACE_FINE_POINTS);
    for (int seed = 1; seed <= seeds; seed++) {
        Landscape *L = calloc(1, sizeof *L);
        if (!L) {
            fclose(f);
            return 1;
        }
        if (sp == 0) nk_build(L, (uint64_t)seed, false);
        else if (sp == 1) cell_build(L, (uint64_t)seed);
        else table_build(L, (uint64_t)seed);
        fprintf(f, "%s{\"seed\": %d, \"optimum\": %.17g, \"noise\": %.17g, ", seed > 1 ? ",\n" : "", seed, L->optimum,
                L->noise);
        if (sp == 0) {
            dump_doubles(f, "nk", &L->nk[0][0], NK_N * NK_A * NK_A * NK_A);
        } else if (sp == 1) {
            dump_doubles(f, "op_q", &L->op_q[0][0], CELL_L * CELL_OPS);
            fprintf(f, ", ");
            dump_doubles(f, "pair", &L->pair[0][0], CELL_OPS * CELL_OPS);
            fprintf(f, ", ");
            dump_doubles(f, "depth_t", L->depth_t, CELL_L + 1);
            fprintf(f, ", \"wopt\": [");
            for (int o = 0; o < CELL_OPS; o++) fprintf(f, "%s%d", o ? ", " : "", L->wopt[o]);
            fprintf(f, "], \"lr_opt\": %.17g", L->lr_opt);
        } else {
            dump_doubles(f, "tq", &L->tq[0][0], TB_EDGES * TB_OPS);
            fprintf(f, ", ");
            dump_doubles(f, "tw", L->tw, 4);
            fprintf(f, ", \"tseed\": %llu", (unsigned long long)L->tseed);
        }
        fprintf(f, ", \"checks\": [");
        SpaceRng r;
        space_rng_seed(&r, (uint64_t)seed * 31 + 7);
        int n = space_count(L->space);
        for (int k = 0; k < CHECKS; k++) {
            int32_t a[MAXSLOTS];
            space_sample(L->space, &r, a);
            fprintf(f, "%s[[", k ? ", " : "");
            for (int i = 0; i < n; i++) fprintf(f, "%s%d", i ? ", " : "", a[i]);
            fprintf(f, "], %.17g]", L->reward(L, a));
        }
        fprintf(f, "]}");
        space_free(L->space);
        free(L);
    }
    fprintf(f, "\n]}\n");
    return fclose(f) == 0 ? 0 : 1;
}

/* ---- runs ---- */

typedef struct Entry {
    const char *label;
    ControllerParams p;
} Entry;

/* Best true reward after each ask (best[t] for t asks made). */
static int run(const Landscape *L, const ControllerParams *p, uint64_t seed, double *best)
{
    ControllerParams q = *p;
    q.seed = seed;
    char err[200];
    Controller *c = controller_new(L->space, &q, err, sizeof err);
    if (!c) {
        fprintf(stderr, "controller_bench: %s\n", err);
        return 1;
    }
    SpaceRng noise;
    space_rng_seed(&noise, seed ^ 0xabcdefull);
    int32_t arch[MAXSLOTS];
    double b = -INFINITY;
    for (int t = 0; t < MAXB; t++) {
        if (controller_ask(c, arch) != 0) {
            best[t] = b;
            continue;
        }
        SpaceError e;
        if (space_validate(L->space, arch, &e) != SPACE_OK) {
            fprintf(stderr, "controller_bench: %s proposed an invalid architecture: %s\n", controller_kind_name(q.kind),
                    e.msg);
            controller_free(c);
            return 1;
        }
        double f = L->reward(L, arch);
        controller_tell(c, arch, f + L->noise * gauss(&noise), true);
        b = fmax(b, f);
        best[t] = b;
    }
    controller_free(c);
    return 0;
}

/* CPU time of this process (the machine is shared: waiting for a core is not the ask's),
 * and wall time. */
static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One ask after 1,000 told trials on a 32-decision space, for each learning controller: the
 * mean of 20 and the slowest; and the slowest ask of trials 500-999 (bo refits its
 * hyperparameters whenever the results grow by a tenth: such an ask is the slowest). */
static int latency(const Entry *entries, int n, const char *only)
{
    Space *s = space_new();
    SpaceLoc loc = {"latency", 1, 1};
    const char *ops[5] = {"a", "b", "c", "d", "e"};
    char name[32];
    for (int i = 0; i < 24; i++) {
        snprintf(name, sizeof name, "op%d", i);
        space_add_labels(s, name, loc, 5, ops);
    }
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "w%d", i);
        space_add_int_range(s, name, loc, 16, 128, 16);
    }
    space_add_float_range(s, "lr", loc, 1e-4, 1e-1, 0, true);
    space_add_float_range(s, "wd", loc, 1e-6, 1e-2, 0, true);
    space_add_bool(s, "skip", loc);
    space_add_subset(s, "inputs", loc, 2, 5, NULL);
    printf("ask latency after 1000 told trials, 32 decisions (mean of 20 asks, each told):\n");
    for (int k = 0; k < n; k++) {
        if (only && strcmp(only, entries[k].label) != 0) continue;
        ControllerParams p = entries[k].p;
        char err[200];
        Controller *c = controller_new(s, &p, err, sizeof err);
        if (!c) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        int32_t arch[MAXSLOTS];
        SpaceRng r;
        space_rng_seed(&r, 5);
        double refit = 0; /* the slowest ask of trials 500-999 */
        for (int t = 0; t < 1000; t++) {
            double one = now(CLOCK_PROCESS_CPUTIME_ID);
            controller_ask(c, arch);
            if (t >= 500) refit = fmax(refit, now(CLOCK_PROCESS_CPUTIME_ID) - one);
            controller_tell(c, arch, uni(&r), true);
        }
        double cpu = now(CLOCK_PROCESS_CPUTIME_ID), wall = now(CLOCK_MONOTONIC), worst = 0;
        for (int t = 0; t < 20; t++) {
            double one = now(CLOCK_PROCESS_CPUTIME_ID);
            controller_ask(c, arch);
            worst = fmax(worst, now(CLOCK_PROCESS_CPUTIME_ID) - one);
            controller_tell(c, arch, uni(&r), true);
        }
        printf("  %-22s %8.3f ms CPU, %8.3f ms wall, slowest %8.3f ms CPU (of trials 500-999: %8.3f)\n",
               entries[k].label, (now(CLOCK_PROCESS_CPUTIME_ID) - cpu) / 20 * 1e3,
               (now(CLOCK_MONOTONIC) - wall) / 20 * 1e3, worst * 1e3, refit * 1e3);
        controller_free(c);
    }
    space_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    int seeds = 100;
    bool lat = false;
    const char *only = NULL, *space_only = NULL, *dump_space = NULL, *dump_path = NULL;
    ControllerParams rf = controller_defaults(CONTROLLER_REINFORCE), tpe = controller_defaults(CONTROLLER_TPE),
                     bo = controller_defaults(CONTROLLER_BO), ppo = controller_defaults(CONTROLLER_PPO);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) seeds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--latency") == 0) lat = true;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else if (strcmp(argv[i], "--dump") == 0 && i + 2 < argc) {
            dump_space = argv[++i];
            dump_path = argv[++i];
        } else if (strcmp(argv[i], "--space") == 0 && i + 1 < argc) space_only = argv[++i];
        else if (strcmp(argv[i], "--reinforce") == 0 && i + 1 < argc &&
                 sscanf(argv[++i], "%lf,%lf,%lf", &rf.lr, &rf.baseline_decay, &rf.entropy) == 3) {
        } else if (strcmp(argv[i], "--tpe") == 0 && i + 1 < argc &&
                   sscanf(argv[++i], "%d,%d", &tpe.startup, &tpe.candidates) == 2) {
        } else if (strcmp(argv[i], "--bo") == 0 && i + 1 < argc && sscanf(argv[++i], "%d", &bo.startup) == 1) {
        } else if (strcmp(argv[i], "--ppo") == 0 && i + 1 < argc &&
                   sscanf(argv[++i], "%lf,%lf,%d,%d,%lf", &ppo.lr, &ppo.clip, &ppo.batch, &ppo.epochs, &ppo.entropy) ==
                       5) {
        } else {
            fprintf(stderr, "usage: controller_bench [--seeds N] [--latency] [--only NAME] [--space nk|cell|table|nkr] "
                            "[--dump SPACE FILE] "
                            "[--reinforce "
                            "lr,decay,entropy] [--tpe startup,candidates] [--bo startup] [--ppo "
                            "lr,clip,batch,epochs,entropy]\n");
            return 2;
        }
    }
    Entry entries[] = {
        {"random", controller_defaults(CONTROLLER_RANDOM)},
        {"evolution(64,16)", controller_defaults(CONTROLLER_EVOLUTION)},
        {"evolution(16,4)", controller_defaults(CONTROLLER_EVOLUTION)},
        {"reinforce", rf},
        {"local", controller_defaults(CONTROLLER_LOCAL)},
        {"tpe", tpe},
        {"tpe(multivariate)", tpe},
        {"ppo", ppo},
        {"bo", bo},
    };
    entries[6].p.multivariate = true;
    entries[2].p.population = 16;
    entries[2].p.sample = 4;
    int ne = (int)(sizeof entries / sizeof *entries);
    if (dump_space) return dump(dump_space, seeds, dump_path);
    if (lat) return latency(entries + 3, ne - 3, only);
    static double best[MAXB];
    const char *spaces[] = {"nk", "cell", "table", "nkr"};
    for (int sp = 0; sp < 4; sp++) {
        if (space_only && strcmp(space_only, spaces[sp]) != 0) continue;
        double sum[16][NB] = {{0}}, sq[16][NB] = {{0}}, opt = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            Landscape *L = calloc(1, sizeof *L);
            if (sp == 0 || sp == 3) nk_build(L, (uint64_t)seed, sp == 3);
            else if (sp == 1) cell_build(L, (uint64_t)seed);
            else table_build(L, (uint64_t)seed);
            opt += L->optimum / seeds;
            for (int k = 0; k < ne; k++) {
                if (only && strcmp(only, entries[k].label) != 0 && k != 0 && k != 2) continue;
                if (run(L, &entries[k].p, (uint64_t)seed, best)) return 1;
                for (int b = 0; b < NB; b++) {
                    double x = best[budgets[b] - 1];
                    sum[k][b] += x;
                    sq[k][b] += x * x;
                }
            }
            space_free(L->space);
            free(L);
        }
        printf("\nspace %s: %d seeds, mean optimum %.4f; best true reward found (mean +- s.e.)\n", spaces[sp], seeds,
               opt);
        printf("  %-22s %18s %18s %18s  %s\n", "controller", "50 trials", "100 trials", "200 trials",
               "gap closed at 100");
        double evo = -INFINITY;
        for (int k = 1; k <= 2; k++) evo = fmax(evo, sum[k][1] / seeds);
        for (int k = 0; k < ne; k++) {
            if (only && strcmp(only, entries[k].label) != 0 && k != 0 && k != 2) continue;
            printf("  %-22s", entries[k].label);
            for (int b = 0; b < NB; b++) {
                double m = sum[k][b] / seeds, var = sq[k][b] / seeds - m * m;
                printf("   %.4f +- %.4f", m, sqrt(fmax(var, 0) / (seeds - 1)));
            }
            printf("   %+.2f\n", (sum[k][1] / seeds - evo) / (opt - evo));
        }
    }
    return 0;
}
