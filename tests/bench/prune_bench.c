/* prune_bench.c — early stopping on a curve benchmark: the search's rules (prune.h, the code
 * nasrun runs) on synthetic learning curves whose final value ranks like the architectures.
 *
 * A landscape per seed: 6 decisions of 4 values, an architecture's quality q in [0, 1] from an
 * NK table (each decision with its next neighbour); its curve over E = 27 epochs is
 *   acc(e) = q_final (1 - exp(-e / tau)) + noise (sd 0.004 per epoch),
 * with q_final = 0.6 + 0.4 q and a speed tau in [1.5, 9] drawn per architecture, so curves
 * cross (a fast learner can lead early and end lower). The reward told is acc(E). Proposals
 * are uniform (random search, the same sequence with and without pruning), run one at a time;
 * a trial's history is every trial before it, as in nasrun at parallel 1.
 *
 * Printed, over the seeds (mean and standard error):
 *   full      N trials to the end: best reward, epochs
 *   same N    the same N proposals with the rule: best reward among the trials it let finish,
 *             epochs used, and the share of seeds where it found the full search's best
 *   budget    the rule with proposals until it used a third of the full search's epochs: best
 *             reward, and the share of seeds where it is at least the full search's best
 * Usage: prune_bench [--seeds S] [--trials N] [--check] (--check: exit 1 unless ASHA's budget
 * best is at least the full best on average and on >= 50% of the seeds). */
#include "prune.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 6, A = 4, E = 27, NARCH = 4096 /* A^D */, MAXT = 4000 };

typedef struct Land {
    double nk[D][A * A];
    double tau[NARCH], final[NARCH];
    uint64_t s;
} Land;

static uint64_t next(uint64_t *s) /* splitmix64: the benchmark's own, seedable stream */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uni(uint64_t *s) { return (double)(next(s) >> 11) * 0x1.0p-53; }

static double gauss(uint64_t *s)
{
    double u = 1 - uni(s), v = uni(s);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void build(Land *L, uint64_t seed)
{
    uint64_t s = seed * 7919 + 3;
    for (int d = 0; d < D; d++)
        for (int j = 0; j < A * A; j++) L->nk[d][j] = uni(&s);
    double lo = INFINITY, hi = -INFINITY, q[NARCH];
    for (int a = 0; a < NARCH; a++) {
        double f = 0;
        for (int d = 0; d < D; d++) {
            int x = (a >> (2 * d)) & 3, y = (a >> (2 * ((d + 1) % D))) & 3;
            f += L->nk[d][x * A + y] / D;
        }
        q[a] = f;
        lo = fmin(lo, f);
        hi = fmax(hi, f);
        L->tau[a] = 1.5 + 7.5 * uni(&s);
    }
    for (int a = 0; a < NARCH; a++) L->final[a] = 0.6 + 0.4 * (q[a] - lo) / (hi - lo);
    L->s = s;
}

/* The curve a trial of architecture a prints (its noise drawn per trial). */
static void curve(const Land *L, int a, uint64_t *s, double *v)
{
    for (int e = 1; e <= E; e++) v[e - 1] = L->final[a] * (1 - exp(-e / L->tau[a])) + 0.004 * gauss(s);
}

typedef struct Result {
    double best; /* best reward of a finished trial */
    long epochs;
    int trials;
} Result;

static double *vals; /* MAXT x E */
static PruneTrial *hist;

/* Random search with the rule until `trials` proposals or `budget` epochs (0: none). */
static Result search(const Land *L, const NasPrune *rule, uint64_t seed, int trials, long budget)
{
    uint64_t prop = seed * 31 + 1, noise = seed * 131 + 7;
    Result r = {-INFINITY, 0, 0};
    for (int t = 0; t < MAXT && (budget ? r.epochs < budget : t < trials); t++) {
        int a = (int)(next(&prop) % NARCH);
        double *v = vals + (size_t)t * E;
        curve(L, a, &noise, v);
        int stop = prune_first_stop(rule, hist, t, v, E, E);
        int ran = stop ? stop : E;
        hist[t] = (PruneTrial){v, ran, stop == 0};
        r.epochs += ran;
        r.trials++;
        if (!stop && v[E - 1] > r.best) r.best = v[E - 1];
    }
    return r;
}

typedef struct Stat {
    double s, ss;
    int n;
} Stat;

static void add(Stat *x, double v)
{
    x->s += v;
    x->ss += v * v;
    x->n++;
}

static double mean(const Stat *x) { return x->s / x->n; }
static double se(const Stat *x)
{
    double m = mean(x);
    return x->n > 1 ? sqrt(fmax(0, x->ss / x->n - m * m) / (x->n - 1)) : 0;
}

int main(int argc, char **argv)
{
    int seeds = 100, trials = 100;
    bool check = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc) seeds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--trials") && i + 1 < argc) trials = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--check")) check = true;
        else {
            fprintf(stderr, "usage: prune_bench [--seeds S] [--trials N] [--check]\n");
            return 2;
        }
    }
    vals = malloc(sizeof *vals * (size_t)MAXT * E);
    hist = malloc(sizeof *hist * (size_t)MAXT);
    Land *L = malloc(sizeof *L);
    if (!vals || !hist || !L || trials < 1 || trials > MAXT) return 2;
    const NasPrune none = {.kind = NAS_PRUNE_NONE};
    const struct {
        const char *name;
        NasPrune rule;
    } rules[] = {{"asha(min = 1, reduction = 3)", {.kind = NAS_PRUNE_ASHA, .min = 1, .reduction = 3}},
                 {"median(startup = 5, warmup = 0)", {.kind = NAS_PRUNE_MEDIAN, .startup = 5, .warmup = 0}}};
    printf("curve benchmark: %d seeds, random search, %d trials of %d epochs, parallel 1\n", seeds, trials, E);
    Stat full_best = {0}, full_ep = {0};
    Stat same_best[2] = {{0}}, same_ep[2] = {{0}}, same_hit[2] = {{0}}, bud_best[2] = {{0}}, bud_hit[2] = {{0}},
         bud_tr[2] = {{0}};
    for (int sd = 1; sd <= seeds; sd++) {
        build(L, (uint64_t)sd);
        Result f = search(L, &none, (uint64_t)sd, trials, 0);
        add(&full_best, f.best);
        add(&full_ep, (double)f.epochs);
        for (int k = 0; k < 2; k++) {
            Result s = search(L, &rules[k].rule, (uint64_t)sd, trials, 0);
            add(&same_best[k], s.best);
            add(&same_ep[k], (double)s.epochs);
            add(&same_hit[k], s.best >= f.best);
            Result b = search(L, &rules[k].rule, (uint64_t)sd, 0, f.epochs / 3);
            add(&bud_best[k], b.best);
            add(&bud_hit[k], b.best >= f.best);
            add(&bud_tr[k], b.trials);
        }
    }
    printf("  %-34s best %.4f +- %.4f  epochs %.0f\n", "no early stopping", mean(&full_best), se(&full_best),
           mean(&full_ep));
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        printf("  %-34s same %d trials: best %.4f +- %.4f, epochs %.0f (%.2f of full), same best on %.0f%% of seeds\n",
               rules[k].name, trials, mean(&same_best[k]), se(&same_best[k]), mean(&same_ep[k]),
               mean(&same_ep[k]) / mean(&full_ep), 100 * mean(&same_hit[k]));
        printf("  %-34s 1/3 of the epochs (%.0f trials): best %.4f +- %.4f, >= the full best on %.0f%% of seeds\n", "",
               mean(&bud_tr[k]), mean(&bud_best[k]), se(&bud_best[k]), 100 * mean(&bud_hit[k]));
        if (k == 0) ok = mean(&bud_best[k]) >= mean(&full_best) && mean(&bud_hit[k]) >= 0.5;
    }
    free(vals);
    free(hist);
    free(L);
    if (check && !ok) {
        printf("FAIL: ASHA at a third of the epochs does not reach the full search's best\n");
        return 1;
    }
    return 0;
}
