/* eval_shape.c — the static shape of tensors in the language: `x.channels`, `x.height`,
 * `x.width` and `x.shape`. Instantiating (and in the whole-space check) a tensor is a graph
 * value and its shape is the graph's. While lowering there is no graph: each tensor carries a
 * LowShape, each dimension a function of the decisions, found by building the op that makes
 * it in a scratch graph (the graph's own shape rules, no second copy of them):
 *   - a reference architecture that reaches the op (every decision at its first value, the
 *     ones the op is conditional on at the first value that reaches it) gives each
 *     dimension's reference value;
 *   - each decision an input depends on alone is tried at every value, the others as in the
 *     reference: a dimension that changes depends on it, and the values tried are its table;
 *   - the inputs that depend on several decisions (or on one too wide to try) are nudged
 *     together (+1, then x2; together, so that inputs an op needs equal stay equal): a
 *     dimension that changes (every one, if the op then fails) depends on several.
 * A dimension of one decision is a decided value like the decision's own (a leaf whose
 * values are the table), so `if x.channels == filters` and choice domains treat it as any
 * decided value; one of several decisions is a value lowering cannot branch on ('X'). */
#include "eval_int.h"
#include <string.h>

enum { MAX_ITEMS = 64, MAX_TRIED = 256 };

typedef struct LowDim {
    int slot;    /* -1: constant; >= 0: a function of that decision alone; -2: of several */
    int64_t ref; /* the value in the reference architecture of the op that made it */
    int64_t *by; /* slot >= 0: the value for each value of the slot */
} LowDim;

struct LowShape {
    int rank;        /* -1: not known (why says so) */
    const char *why; /* rank -1: why, for the diagnostic of `x.channels` */
    LowDim d[GRAPH_MAX_RANK];
};

/* An op met while lowering: a layer (decl) or the tensor operator `op` over args[0..1]. */
typedef struct LowOp {
    const Node *decl, *site;
    int op;
    Value **args;
    int nargs;
} LowOp;

typedef struct Probe {
    const int32_t *assign; /* a value for every slot */
    int nudge;             /* 0, or the inputs of several decisions moved: 1 (+1), 2 (x2) */
} Probe;

/* The first value of decision `slot` that a condition starting at lo allows: lo itself, or
 * for a subset (whose condition names element lo) the pick of lo and the first k - 1 others. */
static int32_t allowed_value(Eval *E, int slot, int32_t lo)
{
    const SpaceDecision *p = space_decision(E->space, slot);
    if (p->kind != SPACE_SUBSET) return lo;
    int picks[SPACE_SUBSET_MAX_N], np = 0;
    if (p->k > 0) picks[np++] = lo;
    for (int i = 0; i < p->n && np < p->k; i++)
        if (i != lo) picks[np++] = i;
    return space_subset_value(E->space, slot, picks);
}

/* Sets what makes `slot` exist: each guard's parent at its first allowed value, recursively. */
static void existing(Eval *E, int32_t *a, int slot)
{
    const SpaceDecision *d = space_decision(E->space, slot);
    for (int g = 0; g < d->nguard; g++) {
        const SpaceGuard *gd = &d->guards[g];
        if (gd->ncond) a[gd->parent] = allowed_value(E, gd->parent, gd->cond[0].lo);
        existing(E, a, gd->parent);
    }
}

/* The reference architecture of an op met now: first values, except along the condition
 * (each term's slot at its first allowed value, and what makes it exist). */
static int32_t *reference(Eval *E)
{
    int32_t *a = ARENA_ARRAY(E->a, int32_t, space_count(E->space) + 1);
    for (int t = 0; t < E->cond.nterm; t++) existing(E, a, E->cond.term[t].slot);
    for (int t = 0; t < E->cond.nterm; t++)
        if (E->cond.term[t].n)
            a[E->cond.term[t].slot] = allowed_value(E, E->cond.term[t].slot, E->cond.term[t].iv[0].lo);
    return a;
}

static LowShape *unknown(Eval *E, const char *why)
{
    LowShape *s = ARENA_NEW(E->a, LowShape);
    s->rank = -1;
    s->why = why;
    return s;
}

Value *eval_lowered_tensor(Eval *E, const LowShape *s)
{
    Value *v = eval_new(E, V_TENSOR);
    v->t = -1;
    v->shape = s;
    return v;
}

Value *eval_lowered_input(Eval *E, int rank, const int64_t *dims)
{
    LowShape *s = ARENA_NEW(E->a, LowShape);
    s->rank = rank;
    for (int i = 0; i < rank; i++) s->d[i] = (LowDim){.slot = -1, .ref = dims[i]};
    return eval_lowered_tensor(E, s);
}

Value *eval_lowered_opaque(Eval *E, const char *why) { return eval_lowered_tensor(E, unknown(E, why)); }

static const LowShape *shape_of(Eval *E, const Value *t)
{
    return t->shape ? t->shape : unknown(E, "it is not made by a layer the space builder follows");
}

/* ---- probing an op in a scratch graph ---- */

static bool tried_whole(Eval *E, int slot)
{
    const SpaceDecision *d = space_decision(E->space, slot);
    return !d->continuous && d->arity <= MAX_TRIED;
}

/* Whether an input of this dependence is nudged rather than tried value by value. */
static bool nudged(Eval *E, int slot) { return slot == -2 || (slot >= 0 && !tried_whole(E, slot)); }

static int64_t nudge(const Probe *p, int64_t v) { return p->nudge == 1 ? v + 1 : p->nudge == 2 ? 2 * v : v; }

static int64_t dim_at(Eval *E, const LowDim *d, const Probe *p)
{
    int64_t v = d->slot >= 0 ? d->by[p->assign[d->slot]] : d->ref;
    return nudged(E, d->slot) ? nudge(p, v) : v;
}

static Value *sym_at(Eval *E, const Value *v, const Probe *p)
{
    Value *r = eval_sym_value(E, v, p->assign);
    if (r && r->kind == V_INT && nudged(E, eval_sym_slot(v))) r = eval_int(E, nudge(p, r->i));
    return r;
}

typedef struct Scratch {
    Eval *E;
    Graph *g;
    const Probe *p;
} Scratch;

static Value *concrete(Scratch *S, const Value *v)
{
    Eval *E = S->E;
    if (v && v->kind == V_TENSOR) {
        const LowShape *sh = shape_of(E, v);
        int64_t dims[GRAPH_MAX_RANK];
        for (int i = 0; i < sh->rank; i++) dims[i] = dim_at(E, &sh->d[i], S->p);
        Value *t = eval_new(E, V_TENSOR);
        t->t = graph_stand_in(S->g, sh->rank, dims, 0, NULL);
        return t;
    }
    if (v && v->kind == V_LIST) {
        Value *l = eval_new(E, V_LIST);
        l->list.n = v->list.n;
        l->list.items = ARENA_ARRAY(E->a, Value *, v->list.n + 1);
        for (int i = 0; i < v->list.n; i++)
            if (!(l->list.items[i] = concrete(S, v->list.items[i]))) return NULL;
        return l;
    }
    if (v && v->kind == V_SYM) return sym_at(E, v, S->p);
    return (Value *)v;
}

/* The shape of op's output under probe p; false when the op fails there. Diagnostics of
 * the layer builder are caught (a failing probe is an answer, not an error). */
static bool probe(Eval *E, const LowOp *op, const Probe *p, GraphShape *out)
{
    Arena scratch;
    arena_init(&scratch);
    Scratch S = {E, graph_new(&scratch), p};
    Graph *saved_g = E->g;
    ModelError *saved_err = E->err, caught;
    bool saved_failed = E->failed;
    E->g = S.g;
    E->err = &caught;
    E->lowering = false;
    Value **args = ARENA_ARRAY(E->a, Value *, op->nargs + 1);
    bool ok = true;
    for (int i = 0; ok && i < op->nargs; i++) ok = !op->args[i] || (args[i] = concrete(&S, op->args[i]));
    int r = -1;
    if (ok && op->decl) r = eval_layer_op(E, op->decl, args, op->site);
    else if (ok && args[0]->kind == V_TENSOR && args[1]->kind == V_TENSOR)
        r = op->op == OP_ADD ? graph_add(S.g, args[0]->t, args[1]->t) : graph_mul_channel(S.g, args[0]->t, args[1]->t);
    ok = r >= 0 && !E->failed && S.g->error.node < 0;
    if (ok) *out = S.g->values[r].shape;
    E->g = saved_g;
    E->err = saved_err;
    E->lowering = true;
    E->failed = saved_failed;
    arena_free(&scratch);
    return ok;
}

/* The dependences (as LowDim.slot) of an op's inputs: the dimensions of its tensor
 * arguments and its decided arguments; -1 (why) when a tensor's shape is not known. */
static int collect(Eval *E, const Value *v, int *items, int n, const char **why)
{
    if (!v || n < 0) return n;
    if (v->kind == V_TENSOR) {
        const LowShape *sh = shape_of(E, v);
        if (sh->rank < 0) {
            *why = sh->why;
            return -1;
        }
        for (int i = 0; i < sh->rank && n < MAX_ITEMS; i++) items[n++] = sh->d[i].slot;
        return n < MAX_ITEMS ? n : -1;
    }
    if (v->kind == V_LIST) {
        for (int i = 0; i < v->list.n && n >= 0; i++) n = collect(E, v->list.items[i], items, n, why);
        return n;
    }
    if (v->kind == V_SYM && n < MAX_ITEMS) items[n++] = eval_sym_slot(v);
    return n < MAX_ITEMS ? n : -1;
}

static LowShape *shape_of_op(Eval *E, const LowOp *op)
{
    int items[MAX_ITEMS];
    const char *why = "its inputs have too many varying dimensions to follow";
    int n = 0;
    for (int i = 0; i < op->nargs && n >= 0; i++) n = collect(E, op->args[i], items, n, &why);
    if (n < 0) return unknown(E, why);
    int32_t *base = reference(E);
    Probe p0 = {.assign = base};
    GraphShape ref;
    if (!probe(E, op, &p0, &ref) || ref.rank < 0 || ref.rank > GRAPH_MAX_RANK)
        return unknown(E, "the op that makes it fails in the first architecture that reaches it");
    LowShape *s = ARENA_NEW(E->a, LowShape);
    s->rank = ref.rank;
    for (int k = 0; k < ref.rank; k++) s->d[k] = (LowDim){.slot = -1, .ref = ref.d[k]};
    int32_t *assign = ARENA_ARRAY(E->a, int32_t, space_count(E->space) + 1);
    memcpy(assign, base, sizeof *assign * (size_t)space_count(E->space));
    for (int i = 0; i < n; i++) {
        int slot = items[i];
        bool seen = false;
        for (int j = 0; j < i; j++) seen |= items[j] == slot;
        if (slot < 0 || seen || !tried_whole(E, slot)) continue;
        int arity = space_decision(E->space, slot)->arity;
        int64_t *by[GRAPH_MAX_RANK];
        bool varies[GRAPH_MAX_RANK] = {0};
        for (int k = 0; k < ref.rank; k++) by[k] = ARENA_ARRAY(E->a, int64_t, arity);
        for (int v = 0; v < arity; v++) {
            assign[slot] = v;
            Probe p = {.assign = assign};
            GraphShape sh;
            bool ok = probe(E, op, &p, &sh) && sh.rank == ref.rank;
            /* An op failing here has no architecture to give a value to: any value will do. */
            for (int k = 0; k < ref.rank; k++) {
                by[k][v] = ok ? sh.d[k] : ref.d[k];
                varies[k] |= by[k][v] != ref.d[k];
            }
        }
        assign[slot] = base[slot];
        for (int k = 0; k < ref.rank; k++) {
            if (!varies[k]) continue;
            if (s->d[k].slot == -1) s->d[k] = (LowDim){.slot = slot, .ref = ref.d[k], .by = by[k]};
            else s->d[k].slot = -2;
        }
    }
    bool any = false;
    for (int i = 0; i < n; i++) any |= nudged(E, items[i]);
    for (int mode = 1; any && mode <= 2; mode++) {
        Probe p = {.assign = base, .nudge = mode};
        GraphShape sh;
        bool ok = probe(E, op, &p, &sh) && sh.rank == ref.rank;
        for (int k = 0; k < ref.rank; k++)
            if (!ok || sh.d[k] != ref.d[k]) s->d[k].slot = -2;
    }
    return s;
}

Value *eval_lowered_layer(Eval *E, const Node *decl, Value **args, const Node *site)
{
    LowOp op = {decl, site, 0, args, decl->fndef.params.count};
    return eval_lowered_tensor(E, shape_of_op(E, &op));
}

Value *eval_lowered_binop(Eval *E, int op, Value *a, Value *b)
{
    Value *args[2] = {a, b};
    LowOp o = {NULL, NULL, op, args, 2};
    return eval_lowered_tensor(E, shape_of_op(E, &o));
}

/* ---- tensors that differ by a decision: alts[v] for each value v of slot ---- */

static bool same_dim(const LowDim *a, const LowDim *b, int arity_of_slot)
{
    if (a->slot != b->slot || a->ref != b->ref) return false;
    if (a->slot < 0) return true;
    return memcmp(a->by, b->by, sizeof *a->by * (size_t)arity_of_slot) == 0;
}

Value *eval_lowered_pick(Eval *E, int slot, Value **alts)
{
    int arity = space_decision(E->space, slot)->arity;
    const LowShape *first = NULL;
    for (int v = 0; v < arity; v++) {
        if (!alts[v]) continue;
        if (alts[v]->kind != V_TENSOR) return eval_lowered_opaque(E, "a decision picks it among values of other kinds");
        const LowShape *sh = shape_of(E, alts[v]);
        if (sh->rank < 0) return eval_lowered_tensor(E, sh);
        if (first && sh->rank != first->rank)
            return eval_lowered_opaque(E, "a decision picks it among tensors of different ranks");
        if (!first) first = sh;
    }
    if (!first) return eval_lowered_opaque(E, "no architecture makes it");
    LowShape *s = ARENA_NEW(E->a, LowShape);
    s->rank = first->rank;
    for (int k = 0; k < s->rank; k++) {
        const LowDim *d0 = &first->d[k];
        bool same = true, own = true; /* own: every alternative constant or of `slot` itself */
        for (int v = 0; v < arity; v++) {
            if (!alts[v]) continue;
            const LowDim *d = &shape_of(E, alts[v])->d[k];
            same &= same_dim(d, d0, d->slot >= 0 ? space_decision(E->space, d->slot)->arity : 0);
            own &= d->slot == -1 || d->slot == slot;
        }
        if (same) {
            s->d[k] = *d0;
            continue;
        }
        if (!own) {
            s->d[k] = (LowDim){.slot = -2, .ref = d0->ref};
            continue;
        }
        int64_t *by = ARENA_ARRAY(E->a, int64_t, arity);
        for (int v = 0; v < arity; v++) {
            const LowDim *d = alts[v] ? &shape_of(E, alts[v])->d[k] : d0;
            by[v] = d->slot == slot ? d->by[v] : d->ref;
        }
        s->d[k] = (LowDim){.slot = slot, .ref = by[0], .by = by};
    }
    return eval_lowered_tensor(E, s);
}

Value *eval_lowered_vague(Eval *E, const Value *t)
{
    const LowShape *sh = shape_of(E, t);
    if (sh->rank < 0) return (Value *)t;
    LowShape *s = ARENA_NEW(E->a, LowShape);
    *s = *sh;
    for (int k = 0; k < s->rank; k++) s->d[k] = (LowDim){.slot = -2, .ref = sh->d[k].ref};
    return eval_lowered_tensor(E, s);
}

/* ---- `x.channels`, `x.height`, `x.width`, `x.shape` ---- */

/* A lowered dimension as a language value: an int, a decided value of one decision (a leaf
 * whose values are the table), or one of several ('X', its first-value value inside). */
static Value *dim_value(Eval *E, const LowDim *d)
{
    if (d->slot == -1) return eval_int(E, d->ref);
    Value *v = eval_new(E, V_SYM);
    if (d->slot == -2) {
        v->sym.op = 'X';
        v->sym.a = eval_int(E, d->ref);
        return v;
    }
    int arity = space_decision(E->space, d->slot)->arity;
    v->sym.slot = d->slot;
    v->sym.vals = ARENA_ARRAY(E->a, Value *, arity);
    for (int i = 0; i < arity; i++) v->sym.vals[i] = eval_int(E, d->by[i]);
    return v;
}

Value *eval_member(Eval *E, Value *obj, const Node *e)
{
    if (!obj) return NULL;
    const char *f = e->member.field;
    if (obj->kind != V_TENSOR) {
        eval_fail(E, e->member.field_loc, "a %s has no member `%s`", eval_value_kind(obj), f);
        return NULL;
    }
    int rank;
    Value *dims[GRAPH_MAX_RANK];
    if (E->lowering) {
        const LowShape *sh = shape_of(E, obj);
        if (sh->rank < 0) {
            eval_fail(E, e->loc, "the shape of this tensor is not known while the space is built: %s", sh->why);
            return NULL;
        }
        rank = sh->rank;
        for (int i = 0; i < rank; i++) dims[i] = dim_value(E, &sh->d[i]);
    } else {
        if (!eval_infer(E)) return NULL;
        const GraphShape *sh = &E->g->values[obj->t].shape;
        rank = sh->rank;
        for (int i = 0; i < rank; i++) dims[i] = eval_int(E, sh->d[i]);
    }
    if (!strcmp(f, "shape")) {
        Value *l = eval_new(E, V_LIST);
        l->list.n = rank;
        l->list.items = ARENA_ARRAY(E->a, Value *, rank + 1);
        for (int i = 0; i < rank; i++) l->list.items[i] = dims[i];
        return l;
    }
    int i = !strcmp(f, "channels") ? 0 : !strcmp(f, "height") ? 1 : 2;
    if (i == 0 ? rank < 1 : rank != 3) {
        eval_fail(E, e->member.field_loc,
                  "`%s` needs a tensor of shape [channels, height, width]; this one has rank %d", f, rank);
        return NULL;
    }
    return dims[i];
}
