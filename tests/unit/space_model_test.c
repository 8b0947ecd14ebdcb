/* space_model_test.c — the Space tables model_lower builds from real programs: decision names,
 * instances and conditions, the exact size against brute-force enumeration and the grid, ID
 * round trips; the examples' sizes; a condition the table cannot express is refused.
 * Usage: space_model_test SOURCE_DIR (the project root). */
#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;
#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

static const char *root;

typedef struct Loaded {
    Compiled c;
    ModelSpace *ms;
    bool checked;
} Loaded;

/* Compiles root/rel (its model lowered); L->ms NULL when that failed. */
static void load(Loaded *L, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    nas_compile(&L->c, path, NULL);
    L->checked = L->c.done >= COMPILE_SEMA;
    L->ms = L->c.space;
}

static void unload(Loaded *L) { nas_compile_free(&L->c); }

static const char *size_of(const Space *s, char *buf, size_t n)
{
    if (space_size(s, buf, n, NULL) != SPACE_OK) snprintf(buf, n, "?");
    return buf;
}

/* Number of valid vectors in the product of {-1} and every slot's values. */
static long brute_force(const Space *s)
{
    int n = space_count(s);
    int32_t *arch = calloc((size_t)n, sizeof *arch);
    for (int d = 0; d < n; d++) arch[d] = -1;
    long count = 0;
    for (;;) {
        count += space_validate(s, arch, NULL) == SPACE_OK;
        int d = n - 1;
        while (d >= 0 && ++arch[d] == space_decision(s, d)->arity) arch[d--] = -1;
        if (d < 0) break;
    }
    free(arch);
    return count;
}

static void test_conditions(void)
{
    Loaded L;
    load(&L, "tests/unit/space_model/conditions.nas");
    CHECK(L.ms, "lowered");
    if (!L.ms) {
        diag_print(&L.c.diag, stderr, DIAG_TEXT, false);
        unload(&L);
        return;
    }
    const Space *s = model_space(L.ms);
    static const char *const names[] = {
        "width",          "cell[0].kernel", "act",           "oneof@15:9", "cell[1].kernel", "k2", "depth",
        "cell[2].kernel", "cell[3].kernel", "cell[4].kernel"};
    /* parent and first interval of each slot: -1 for unconditional */
    static const int parent[] = {-1, -1, 0, -1, 3, 3, -1, -1, 6, 6};
    static const int lo[] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 2}, hi[] = {0, 0, 2, 0, 0, 1, 0, 0, 2, 2};
    CHECK(space_count(s) == 10, "10 decisions, got %d", space_count(s));
    for (int i = 0; i < 10 && i < space_count(s); i++) {
        const SpaceDecision *x = space_decision(s, i);
        CHECK(strcmp(x->name, names[i]) == 0, "slot %d is %s, want %s", i, x->name, names[i]);
        CHECK(x->parent == parent[i], "slot %d parent %d", i, x->parent);
        if (parent[i] >= 0)
            CHECK(x->ncond == 1 && x->cond[0].lo == lo[i] && x->cond[0].hi == hi[i], "slot %d condition", i);
    }
    if (space_count(s) == 10) {
        const SpaceDecision *w = space_decision(s, 0);
        CHECK(w->kind == SPACE_CATEGORICAL && w->vtype == SPACE_VAL_INT && w->ints[2] == 64, "width values");
        CHECK(w->loc.line == 10 && w->loc.col == 13, "width at 10:13, got %d:%d", w->loc.line, w->loc.col);
        CHECK(space_decision(s, 6)->kind == SPACE_INT_RANGE && space_value_int(s, 6, 2) == 3, "depth 1..3");
    }
    /* width 1+2+2, cell[0] 2, oneof 2+2+1, repeat kernels 2*(1+2+4) */
    char buf[64];
    CHECK(strcmp(size_of(s, buf, sizeof buf), "700") == 0, "size %s", buf);
    CHECK(brute_force(s) == 700, "brute force agrees");
    SpaceGrid *g = space_grid_new(s, 2);
    int32_t arch[10], back[10];
    long n = 0, bad = 0;
    char id[64];
    while (space_grid_next(g, arch)) {
        n++;
        if (space_arch_to_id(s, arch, id, sizeof id, NULL) != SPACE_OK ||
            space_id_to_arch(s, id, back, NULL) != SPACE_OK || memcmp(arch, back, sizeof arch) != 0)
            bad++;
    }
    space_grid_free(g);
    CHECK(n == 700 && bad == 0, "grid %ld, %ld bad IDs", n, bad);
    unload(&L);
}

static void test_examples(void)
{
    Loaded L;
    char buf[64];
    load(&L, "examples/tiny.nas");
    CHECK(L.ms && strcmp(size_of(model_space(L.ms), buf, sizeof buf), "9") == 0, "tiny: 9 (as the file says)");
    unload(&L);
    load(&L, "examples/mobile_space.nas");
    CHECK(L.ms, "mobile lowered");
    if (L.ms) {
        const Space *s = model_space(L.ms);
        /* base 2 * (expansion 3 * kernel 3 * se 2 * extra 3)^5 stages * C(4,2) skips * head 2
         * * regularize 2 (its continuous log-scale `drop` rate counts once: the discrete part) */
        CHECK(strcmp(size_of(s, buf, sizeof buf), "22039921152") == 0, "mobile size %s", buf);
        int drop = space_find(s, "drop");
        CHECK(drop >= 0 && space_decision(s, drop)->continuous &&
                  space_decision(s, drop)->parent == space_find(s, "regularize"),
              "drop is continuous and exists only under regularize");
        CHECK(space_find(s, "base") == 0 && space_find(s, "mb_stage[4].extra") > 0, "mobile names");
        int skips = space_find(s, "skips");
        CHECK(skips >= 0 && space_decision(s, skips)->kind == SPACE_SUBSET && space_decision(s, skips)->k == 2,
              "skips is a 2-of-4 subset");
    }
    unload(&L);
}

static void test_refused(void)
{
    Loaded L;
    load(&L, "tests/unit/space_model/two_decisions.nas");
    CHECK(L.checked && !L.ms, "refused");
    /* `a == b` holds on (1, 1) and (2, 2): no `and` of one test per decision. One error, at
     * the decision, with a note at the condition. */
    int at_decision = 0, at_condition = 0;
    for (int i = 0; i < L.c.diag.count; i++) {
        const Diagnostic *g = &L.c.diag.items[i];
        if (g->level != DIAG_ERROR || g->loc.line != 9 || g->loc.col != 18) continue;
        at_decision++;
        for (int k = 0; k < g->nnotes; k++) at_condition += g->notes[k].loc.line == 8 && g->notes[k].loc.col == 8;
    }
    CHECK(at_decision == 1 && at_condition == 1, "one error at the decision (9:18: %d), a note at the condition (%d)",
          at_decision, at_condition);
    unload(&L);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: space_model_test SOURCE_DIR\n");
        return 2;
    }
    root = argv[1];
    test_conditions();
    test_examples();
    test_refused();
    printf("space_model_test: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
