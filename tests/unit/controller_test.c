/* controller_test.c — the ask/tell controllers: valid proposals, determinism under replay,
 * grid coverage, and learning: evolution and REINFORCE beat random search on a space whose
 * reward is known (a hidden target architecture), by a stated margin over several seeds. */
#include "controller.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

enum { NCAT = 14, MAXSLOTS = 32 };

/* 14 categorical decisions of 5 values, a bool that switches on 2 more, a subset:
 * 5^14 * (1 + 4*4) * C(5,2) ~ 10^12 architectures. */
static Space *make_space(void)
{
    Space *s = space_new();
    SpaceLoc loc = { "test.nas", 1, 1 };
    int64_t five[5] = { 1, 2, 3, 4, 5 };
    for (int i = 0; i < NCAT; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        space_add_ints(s, name, loc, 5, five);
    }
    int skip = space_add_bool(s, "skip", loc);
    int a = space_add_int_range(s, "skip.width", loc, 8, 32, 8);
    int b = space_add_ints(s, "skip.kernel", loc, 4, five);
    space_when(s, a, skip, 1, 1);
    space_when(s, b, skip, 1, 1);
    space_add_subset(s, "inputs", loc, 2, 5, NULL);
    return s;
}

/* Known reward: the fraction of the 14 categorical decisions equal to a hidden target
 * (3 for even i, 1 for odd), plus a bonus for skip with width index 2. In [0, 1]. */
static double reward_of(const Space *s, const int32_t *arch)
{
    int hit = 0;
    for (int i = 0; i < NCAT; i++) hit += arch[i] == (i % 2 ? 1 : 3);
    double r = 0.9 * hit / NCAT;
    int skip = space_find(s, "skip"), w = space_find(s, "skip.width");
    if (arch[skip] == 1 && arch[w] == 2) r += 0.1;
    return r;
}

/* Best reward found within `budget` trials. */
static double run(const Space *s, ControllerKind kind, uint64_t seed, int budget)
{
    ControllerParams p = controller_defaults(kind);
    p.seed = seed;
    p.population = 32;
    p.sample = 8;
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    if (!c) { fprintf(stderr, "controller_new: %s\n", err); failures++; return 0; }
    int32_t arch[MAXSLOTS];
    double best = -1;
    for (int t = 0; t < budget; t++) {
        if (controller_ask(c, arch) != 0) break;
        SpaceError e;
        if (space_validate(s, arch, &e) != SPACE_OK) {
            fprintf(stderr, "%s proposed an invalid architecture: %s\n", controller_kind_name(kind), e.msg);
            failures++;
            break;
        }
        double r = reward_of(s, arch);
        /* Every 7th trial "fails": failures must not break learning. */
        bool ok = t % 7 != 3;
        controller_tell(c, arch, ok ? r : NAN, ok);
        if (ok && r > best) best = r;
    }
    controller_free(c);
    return best;
}

static void test_learning(const Space *s)
{
    enum { SEEDS = 5, BUDGET = 400 };
    double mean[5] = {0};
    ControllerKind kinds[] = { CONTROLLER_RANDOM, CONTROLLER_SOBOL, CONTROLLER_EVOLUTION, CONTROLLER_REINFORCE };
    for (int k = 0; k < 4; k++) {
        for (uint64_t seed = 1; seed <= SEEDS; seed++) mean[k] += run(s, kinds[k], seed, BUDGET) / SEEDS;
        printf("%-10s mean best reward over %d seeds, %d trials: %.3f\n",
               controller_kind_name(kinds[k]), SEEDS, BUDGET, mean[k]);
    }
    /* Random search finds about 8-9 of 14 right; a learning controller must do clearly better. */
    CHECK(mean[2] >= mean[0] + 0.10);
    CHECK(mean[3] >= mean[0] + 0.10);
}

/* Same seed + same history => same proposals: the basis of resume. */
static void test_replay(const Space *s)
{
    ControllerKind kinds[] = { CONTROLLER_RANDOM, CONTROLLER_SOBOL, CONTROLLER_EVOLUTION, CONTROLLER_REINFORCE };
    for (int k = 0; k < 4; k++) {
        ControllerParams p = controller_defaults(kinds[k]);
        p.seed = 42;
        p.population = 16;
        p.sample = 4;
        char err[200];
        Controller *a = controller_new(s, &p, err, sizeof err);
        int32_t hist[120][MAXSLOTS], arch[MAXSLOTS];
        for (int t = 0; t < 120; t++) {
            controller_ask(a, hist[t]);
            controller_tell(a, hist[t], reward_of(s, hist[t]), true);
        }
        /* A resumed controller replays the history from the store: it must ask the same. */
        Controller *b = controller_new(s, &p, err, sizeof err);
        bool same = true;
        for (int t = 0; t < 120; t++) {
            controller_ask(b, arch);
            same &= space_arch_equal(s, arch, hist[t]);
            controller_tell(b, hist[t], reward_of(s, hist[t]), true);
        }
        if (!same) fprintf(stderr, "%s: replay diverged\n", controller_kind_name(kinds[k]));
        CHECK(same);
        controller_free(a);
        controller_free(b);
    }
}

static void test_grid(void)
{
    Space *s = space_new();
    SpaceLoc loc = { "g.nas", 1, 1 };
    int64_t v[3] = { 1, 2, 3 };
    int on = space_add_bool(s, "on", loc);
    int x = space_add_ints(s, "x", loc, 3, v);
    space_when(s, x, on, 1, 1);
    space_add_ints(s, "y", loc, 2, v);
    /* size = (1 + 3) * 2 = 8 */
    ControllerParams p = controller_defaults(CONTROLLER_GRID);
    char err[200];
    Controller *c = controller_new(s, &p, err, sizeof err);
    int32_t seen[16][3], arch[3];
    int n = 0;
    while (n < 16 && controller_ask(c, arch) == 0) memcpy(seen[n++], arch, sizeof arch);
    CHECK(n == 8);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) CHECK(!space_arch_equal(s, seen[i], seen[j]));
    CHECK(controller_ask(c, arch) == 1);     /* stays exhausted */
    controller_free(c);
    space_free(s);
}

static void test_bad_params(const Space *s)
{
    ControllerParams p = controller_defaults(CONTROLLER_EVOLUTION);
    p.sample = 100;
    p.population = 10;
    char err[200] = "";
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "sample") != NULL);
    p = controller_defaults(CONTROLLER_REINFORCE);
    p.lr = 0;
    CHECK(controller_new(s, &p, err, sizeof err) == NULL && strstr(err, "lr") != NULL);
    CHECK(controller_kind_parse("evolution") == CONTROLLER_EVOLUTION);
    CHECK(controller_kind_parse("tpe") == -1);
}

int main(void)
{
    Space *s = make_space();
    CHECK(space_count(s) <= MAXSLOTS);
    test_replay(s);
    test_grid();
    test_bad_params(s);
    test_learning(s);
    space_free(s);
    if (failures) { fprintf(stderr, "%d checks failed\n", failures); return 1; }
    printf("controller_test: ok\n");
    return 0;
}
