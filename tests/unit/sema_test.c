/* sema_test.c — sema's API for later phases: folded constants, types on nodes, global lookup,
 * the space-size lint, and that the stdlib modules check clean. */
#include <stdio.h>
#include <string.h>
#include "sema.h"

static int failures;
#define CHECK(c)                                                                  \
    do {                                                                          \
        if (!(c)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            failures++;                                                           \
        }                                                                         \
    } while (0)

static Program *load(Arena *a, Diag *d, const char *src)
{
    arena_init(a);
    diag_init(d, a);
    return program_load_string(a, d, "sema_test.nas", src, NAS_STDLIB_DIR);
}

static Node *let_value(Program *p, const char *name)
{
    SemaSym *s = sema_lookup_global(p, name);
    return s && s->decl && s->decl->kind == N_LET ? s->decl->let.value : NULL;
}

static void test_folding(void)
{
    Arena a;
    Diag d;
    Program *p = load(&a, &d,
                      "use std.blocks\n"
                      "let base = 16\n"
                      "let wide = base * 3 - 4 / 3\n" /* ints: 48 - 1 */
                      "let half = wide / 2.0\n"
                      "let t = 2ms * 3 + 1s\n"
                      "let flag = not (wide > 40) or base == 16\n"
                      "let later = after + 1\n"
                      "let after = 41\n"
                      "let pick = choice [base, wide]\n");
    CHECK(p && sema_check(p) && d.errors == 0 && d.warnings == 0);
    if (!p) return;
    int64_t i;
    double f;
    CHECK(sema_const_int(p, let_value(p, "wide"), &i) && i == 47);
    CHECK(sema_const_number(p, let_value(p, "half"), &f) && f == 23.5);
    const SemaValue *tv = sema_const(p, let_value(p, "t"));
    CHECK(tv && tv->kind == VAL_QUANTITY && tv->dim == DIM_TIME && tv->f > 1.0059 && tv->f < 1.0061);
    const SemaValue *b = sema_const(p, let_value(p, "flag"));
    CHECK(b && b->kind == VAL_BOOL && b->i == 1);
    CHECK(sema_const_int(p, let_value(p, "later"), &i) && i == 42);
    CHECK(sema_const(p, let_value(p, "pick")) == NULL); /* a decision is not a constant */
    Node *pick = let_value(p, "pick");
    CHECK(pick && pick->type && pick->type->kind == TY_INT);
    SemaSym *mb = sema_lookup_global(p, "mbconv"); /* from std.blocks */
    CHECK(mb && mb->kind == SYM_BLOCK && mb->sig);
    CHECK(sema_lookup_global(p, "conv2d") == NULL); /* std.layers is not used here */
    int w = d.warnings;
    sema_lint_space_size(p, 19.99, p->main->ast->decls.items[0]->loc);
    CHECK(d.warnings == w);
    sema_lint_space_size(p, 20.5, p->main->ast->decls.items[0]->loc);
    CHECK(d.warnings == w + 1 && d.items[d.count - 1].code == NAS0703);
    diag_free(&d);
    arena_free(&a);
}

static void test_errors_counted(void)
{
    Arena a;
    Diag d;
    Program *p = load(&a, &d, "let a = 1 / 0\nlet b = nope\n");
    CHECK(p && !sema_check(p) && d.errors == 2);
    if (p) {
        CHECK(d.items[0].code == NAS0411 && d.items[0].loc.line == 1);
        CHECK(d.items[1].code == NAS0301 && d.items[1].loc.line == 2 && d.items[1].loc.col == 9);
    }
    diag_free(&d);
    arena_free(&a);
}

/* Every stdlib module checks clean (no errors, no warnings), and a reward may compare a
 * metric with a top-level constant. */
static void test_stdlib_clean(void)
{
    Arena a;
    Diag d;
    Program *p = load(&a, &d,
                      "use std.layers\nuse std.blocks\nuse std.rewards\nuse std.spaces.mlp\nuse std.spaces.mnasnet\n"
                      "let target = 2ms\n"
                      "let r = mnasnet(0.9, 3ms, target)\n"
                      "reward { maximize accuracy\n subject to latency <= target soft(weight = -0.07) }\n"
                      "model m(x: tensor[3, 32, 32]) -> tensor[10] {\n"
                      "    x = x |> residual(16) |> inverted_bottleneck(24) |> separable_conv(32)\n"
                      "    return oneof [mlp_space(x, 10), mnasnet_space(x, 10)]\n"
                      "}\n");
    CHECK(p && sema_check(p));
    CHECK(d.count == 0);
    if (d.count) diag_print(&d, stderr, DIAG_TEXT, false);
    diag_free(&d);
    arena_free(&a);
}

int main(void)
{
    test_stdlib_clean();
    test_folding();
    test_errors_counted();
    if (failures) {
        fprintf(stderr, "sema_test: %d failures\n", failures);
        return 1;
    }
    printf("sema_test: ok\n");
    return 0;
}
