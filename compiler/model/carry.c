/* carry.c — whether an architecture of one version of a space is still an architecture of
 * another (model.h, model_carry): `nasc --diff` counts them, `nasrun --carry-over` hands their
 * results to the new experiment. The decisions are matched by name (their names are stable:
 * written, or derived from the let or the instance path); an old architecture is still one of
 * the new space when every decision the new one asks has the same value in it and the two
 * graphs are the same network (graph_hash), so an edit that changes what a value means is not
 * carried over. */
#include "model.h"
#include <string.h>

/* The index of old value (decision od of old) in the new decision nd, or -1. */
static int32_t same_value(const Space *so, int od, int32_t ov, const Space *sn, int nd)
{
    char a[8192], b[8192]; /* a longer text (a wide subset's) is not carried over */
    if (space_value_format(so, od, ov, a, sizeof a) >= (int)sizeof a) return -1;
    const SpaceDecision *x = space_decision(sn, nd);
    if (x->kind != space_decision(so, od)->kind) return -1;
    if (x->continuous) return -1; /* a continuous value is no slot of a list */
    if (x->kind == SPACE_SUBSET) { /* its C(n, k) picks are too many to scan: read the elements */
        int32_t v;
        return space_value_parse(sn, nd, a, &v, NULL) == SPACE_OK ? v : -1;
    }
    for (int32_t v = 0; v < x->arity; v++) {
        space_value_format(sn, nd, v, b, sizeof b);
        if (!strcmp(a, b)) return v;
    }
    return -1;
}

/* Every decision the new space asks (in order, so parents come first) takes the old value of
 * the decision of the same name. */
static bool map_values(const Space *so, const int32_t *old, const Space *sn, int32_t *out)
{
    for (int d = 0; d < space_count(sn); d++) out[d] = SPACE_INACTIVE;
    for (int d = 0; d < space_count(sn); d++) {
        if (!space_is_active(sn, out, d)) continue;
        int od = space_find(so, space_decision(sn, d)->name);
        if (od < 0 || old[od] == SPACE_INACTIVE) return false;
        if ((out[d] = same_value(so, od, old[od], sn, d)) < 0) return false;
    }
    return space_validate(sn, out, NULL) == SPACE_OK;
}

static bool graph_of(const ModelSpace *ms, const int32_t *arch, uint64_t *hash)
{
    Arena a;
    arena_init(&a);
    ModelError err;
    Graph *g = model_instantiate(ms, arch, &a, &err);
    if (g) *hash = graph_hash(g);
    arena_free(&a);
    return g != NULL;
}

ModelCarry model_carry(const ModelSpace *old_space, const int32_t *old, const ModelSpace *new_space, int32_t *out)
{
    if (!map_values(model_space(old_space), old, model_space(new_space), out)) return MODEL_CARRY_NONE;
    uint64_t ho, hn;
    if (!graph_of(old_space, old, &ho) || !graph_of(new_space, out, &hn) || ho != hn) return MODEL_CARRY_OTHER_GRAPH;
    return MODEL_CARRY_SAME;
}
