/* eval_decide.c — decisions in the model interpreter. Lowering registers each decision met
 * as a Space slot under the current condition and returns a symbolic value; instantiation
 * looks the slot up by the same key and returns the architecture's value. Keys are
 * "frame path | source position | repeat iterations", so they are the same in both modes. */
#include "eval_int.h"
#include "bigint.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static void enter_term(Eval *E, CondTerm nt, Cond *saved);

/* ---- keys and names ---- */

static const char *site_key(Eval *E, char tag, const Node *site)
{
    return arena_printf(E->a, "%c%s|%d:%d|%s", tag, E->frame->path, site->loc.file, site->loc.begin, E->iter);
}

const char *eval_instance_name(Eval *E, const Node *decl, const Node *site)
{
    const char *key = site_key(E, 'I', site);
    bool found;
    intptr_t v = keymap_get(E->keys, key, &found);
    if (found) return (const char *)v;
    if (!E->lowering) {
        eval_fail(E, site->loc, "internal error: block instance `%s` was not met while lowering", key);
        return "";
    }
    const char *ckey = arena_printf(E->a, "C%s|%s", E->frame->path, decl->fndef.name);
    intptr_t n = keymap_get(E->keys, ckey, &found);
    keymap_put(E->keys, ckey, n + 1);
    const char *name = E->frame->path[0] ? arena_printf(E->a, "%s.%s[%d]", E->frame->path, decl->fndef.name, (int)n)
                                         : arena_printf(E->a, "%s[%d]", decl->fndef.name, (int)n);
    keymap_put(E->keys, key, (intptr_t)name);
    return name;
}

/* The source text of a node, shortened, for labels of structural choices. */
static const char *source_text(Eval *E, const Node *n)
{
    const Source *src = &E->diag->files[n->loc.file];
    int len = n->loc.end - n->loc.begin;
    if (n->loc.begin < 0 || n->loc.end > src->len || len <= 0) return "?";
    char buf[48];
    int k = 0;
    for (int i = 0; i < len && k < (int)sizeof buf - 4; i++) {
        char c = src->text[n->loc.begin + i];
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
        if (c == ' ' && k > 0 && buf[k - 1] == ' ') continue;
        buf[k++] = c;
    }
    if (k < len && k >= (int)sizeof buf - 4) {
        buf[k++] = '.';
        buf[k++] = '.';
        buf[k++] = '.';
    }
    buf[k] = 0;
    return arena_strdup(E->a, buf);
}

static const char *decision_name(Eval *E, const Node *e, const char *explicit_name)
{
    const char *base = explicit_name;
    if (!base && E->let_site == e) base = E->let_name;
    if (!base) base = arena_printf(E->a, "%s@%d:%d", e->kind == N_ONEOF ? "oneof" : "choice", e->loc.line, e->loc.col);
    const char *name = E->frame->path[0] ? arena_printf(E->a, "%s.%s", E->frame->path, base) : base;
    if (E->iter[0]) name = arena_printf(E->a, "%s[%s]", name, E->iter);
    if (space_find(E->space, name) >= 0) name = arena_printf(E->a, "%s@%d:%d", name, e->loc.line, e->loc.col);
    for (int k = 2; space_find(E->space, name) >= 0; k++) name = arena_printf(E->a, "%s#%d", name, k);
    return name;
}

/* Lowering: attach the current condition to a new slot (or report why it cannot be). */
static bool registered(Eval *E, int d, const Node *e)
{
    if (d < 0) {
        eval_fail(E, e->loc, "this decision cannot be added to the space: %s", space_status_string((SpaceStatus)-d));
        return false;
    }
    if (E->cond.refused) {
        int di = diag_error(E->diag, NAS0802, e->loc,
                            "this decision is under a condition over several decisions that is not a "
                            "conjunction (an `or`, or the `else` of an `and`); a decision can depend on "
                            "an `and` of conditions only");
        diag_note(E->diag, di, E->cond.refused_at, "the condition is here");
        E->failed = true;
        return false;
    }
    for (int t = 0; t < E->cond.nterm; t++)
        for (int i = 0; i < E->cond.term[t].n; i++) {
            const CondTerm *c = &E->cond.term[t];
            SpaceStatus st = space_when(E->space, d, c->slot, c->iv[i].lo, c->iv[i].hi);
            if (st != SPACE_OK) {
                eval_fail(E, e->loc, "cannot make this decision conditional: %s", space_status_string(st));
                return false;
            }
        }
    /* Same frame and iterations as when the decision is met while instantiating. */
    keymap_put(E->keys, site_key(E, 'D', e), d);
    if (E->in_global) {
        struct ModelSpace *ms = E->ms;
        if (ms->nglobal == ms->capglobal) {
            ms->capglobal = ms->capglobal ? 2 * ms->capglobal : 8;
            int *g = ARENA_ARRAY(E->a, int, ms->capglobal);
            if (ms->nglobal) memcpy(g, ms->global_slots, sizeof *g * (size_t)ms->nglobal);
            ms->global_slots = g;
        }
        ms->global_slots[ms->nglobal++] = d;
    }
    return true;
}

static Value *leaf(Eval *E, int slot, Value **vals)
{
    Value *v = eval_new(E, V_SYM);
    v->sym.op = 0;
    v->sym.slot = slot;
    v->sym.vals = vals;
    return v;
}

/* An item that cannot create decisions: literals, names and arithmetic over them. */
static bool is_simple(const Node *n)
{
    switch (n->kind) {
    case N_INT:
    case N_FLOAT:
    case N_BOOL:
    case N_STRING:
    case N_QUANTITY:
    case N_NAME: return true;
    case N_MEMBER: return is_simple(n->member.object); /* x.channels */
    case N_INDEX: return is_simple(n->index.object) && is_simple(n->index.at);
    case N_UNARY: return is_simple(n->unary.operand);
    case N_BINARY: return is_simple(n->binary.lhs) && is_simple(n->binary.rhs);
    default: return false;
    }
}

static bool mentions_shape(const Node *n)
{
    switch (n->kind) {
    case N_MEMBER: return true;
    case N_INDEX: return mentions_shape(n->index.object);
    case N_UNARY: return mentions_shape(n->unary.operand);
    case N_BINARY: return mentions_shape(n->binary.lhs) || mentions_shape(n->binary.rhs);
    default: return false;
    }
}

static bool is_plain(const Value *v)
{
    return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL || v->kind == V_STRING || v->kind == V_QUANTITY;
}

static int add_value_choice(Eval *E, const char *name, SpaceLoc sl, Value **vals, int n)
{
    bool ints = true, strings = true, bools = true;
    for (int i = 0; i < n; i++) {
        ints &= vals[i]->kind == V_INT;
        strings &= vals[i]->kind == V_STRING;
        bools &= vals[i]->kind == V_BOOL;
    }
    if (ints) {
        int64_t *x = ARENA_ARRAY(E->a, int64_t, n);
        for (int i = 0; i < n; i++) x[i] = vals[i]->i;
        return space_add_ints(E->space, name, sl, n, x);
    }
    if (strings || bools) {
        const char **l = ARENA_ARRAY(E->a, const char *, n);
        for (int i = 0; i < n; i++) l[i] = strings ? vals[i]->s : vals[i]->i ? "true" : "false";
        return space_add_labels(E->space, name, sl, n, l);
    }
    double *f = ARENA_ARRAY(E->a, double, n);
    for (int i = 0; i < n; i++) {
        if (vals[i]->kind == V_STRING || vals[i]->kind == V_BOOL) return -SPACE_E_ARG;
        f[i] = vals[i]->kind == V_INT ? (double)vals[i]->i : vals[i]->f;
    }
    return space_add_floats(E->space, name, sl, n, f);
}

static Value *lower_list(Eval *E, Binding **env, const Node *e, const NodeList *items, const char *explicit_name,
                         Value *input)
{
    int n = items->count;
    SpaceLoc sl = {E->diag->files[e->loc.file].path, e->loc.line, e->loc.col};
    const char *name = decision_name(E, e, explicit_name);
    Value **vals = ARENA_ARRAY(E->a, Value *, n);
    bool simple = !input;
    for (int i = 0; i < n && simple; i++) simple = is_simple(items->items[i]);
    if (simple) {
        bool plain = true;
        for (int i = 0; i < n; i++) {
            if (!(vals[i] = eval_expr(E, env, items->items[i]))) return NULL;
            if (vals[i]->kind == V_SYM) {
                int s = eval_sym_slot(vals[i]);
                const char *by = s >= 0 ? arena_printf(E->a, ", `%s`", space_decision(E->space, s)->name) : "";
                eval_fail(E, items->items[i]->loc, "the values of a choice cannot depend on other decisions%s",
                          mentions_shape(items->items[i])
                              ? arena_printf(E->a,
                                             ": here the shape of a tensor does (a width decided earlier%s); the "
                                             "space has one set of values per choice, not one per architecture",
                                             by)
                              : "");
                return NULL;
            }
            plain &= is_plain(vals[i]);
        }
        if (plain) {
            int d = add_value_choice(E, name, sl, vals, n);
            if (!registered(E, d, e)) return NULL;
            return leaf(E, d, vals);
        }
    }
    /* Sub-graphs, layers or blocks: each alternative is explored under "slot == i". */
    const char **labels = ARENA_ARRAY(E->a, const char *, n);
    for (int i = 0; i < n; i++) labels[i] = source_text(E, items->items[i]);
    int d = space_add_labels(E->space, name, sl, n, labels);
    if (!registered(E, d, e)) return NULL;
    bool *allowed = ARENA_ARRAY(E->a, bool, n);
    Value *first = NULL;
    for (int i = 0; i < n; i++) {
        memset(allowed, 0, sizeof *allowed * (size_t)n);
        allowed[i] = true;
        Cond saved;
        if (!eval_enter_cond(E, d, allowed, &saved)) continue;
        const Node *it = items->items[i];
        vals[i] = input ? eval_apply(E, env, it, input) : eval_expr(E, env, it);
        eval_leave_cond(E, &saved);
        if (!vals[i]) return NULL;
        if (!first) first = vals[i];
    }
    if (!first) return NULL;
    if (first->kind == V_TENSOR) return eval_lowered_pick(E, d, vals);
    if (first->kind == V_LIST) {
        Value *t = eval_new(E, first->kind);
        t->list = first->list;
        return t;
    }
    return leaf(E, d, vals);
}

static Value *need_number(Eval *E, Binding **env, const Node *n)
{
    Value *v = eval_expr(E, env, n);
    if (!v) return NULL;
    if (v->kind != V_INT && v->kind != V_FLOAT && v->kind != V_QUANTITY) {
        eval_fail(E, n->loc, "%s",
                  v->kind != V_SYM    ? "a range bound must be a number"
                  : mentions_shape(n) ? "a range bound cannot depend on a decision: here the shape of a tensor "
                                        "does (a width decided earlier)"
                                      : "a range bound cannot depend on a decision");
        return NULL;
    }
    return v;
}

/* `choice h 16 .. 128 log` over ints: the ints of a geometric grid from lo to hi whose ratio
 * is (lo + 1) / lo (at most 256 points), so a uniform pick of a value is log-uniform and
 * every value is an exact int in IDs and NAS_DECISIONS: 16, 17, 18, 19, 20, 22, ..., 114, 121, 128. */
static int add_int_log(Eval *E, const char *name, SpaceLoc sl, int64_t lo, int64_t hi)
{
    if (lo < 1 || hi < lo) return -SPACE_E_ARG;
    double span = log((double)hi / (double)lo);
    int points = hi == lo ? 1 : (int)ceil(span / log1p(1.0 / (double)lo)) + 1;
    if (points > 256) points = 256;
    int64_t *x = ARENA_ARRAY(E->a, int64_t, points + 1);
    int n = 0;
    for (int i = 0; i < points; i++) {
        int64_t v = points == 1 ? lo : llround((double)lo * exp(span * i / (points - 1)));
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        if (n && v <= x[n - 1]) continue;
        x[n++] = v;
    }
    return space_add_ints(E->space, name, sl, n, x);
}

/* A pick of k of n elements is its rank in one int32 slot, as every decision's value: C(n, k)
 * <= 2^31 - 1. Otherwise a failure that says the count (exact, bigint) and the limit. */
static bool subset_fits(Eval *E, const Node *e, int k, int n)
{
    BigInt c;
    bigint_set_u64(&c, 1);
    for (int i = 1; i <= k; i++) { /* C(n-k+i, i) = C(n-k+i-1, i-1) * (n-k+i) / i, exact */
        if (!bigint_mul_add_small(&c, (uint32_t)(n - k + i), 0)) break;
        bigint_divmod_small(&c, (uint32_t)i);
    }
    if (bigint_bits(&c) <= 31) return true;
    char digits[1300];
    if (!bigint_to_decimal(&c, digits, sizeof digits)) snprintf(digits, sizeof digits, "more than 2^4096");
    eval_fail(E, e->loc,
              "a subset of %d of %d elements has C(%d, %d) = %s picks; a decision holds at most 2147483647 "
              "(2^31 - 1) values (a pick is its rank in one 32-bit slot)",
              k, n, n, k, digits);
    return false;
}

static Value *lower_decision(Eval *E, Binding **env, const Node *e, Value *input)
{
    if (e->kind == N_ONEOF) return lower_list(E, env, e, &e->oneof.alts, e->oneof.name, input);
    SpaceLoc sl = {E->diag->files[e->loc.file].path, e->loc.line, e->loc.col};
    switch (e->choice.form) {
    case CHOICE_LIST: return lower_list(E, env, e, &e->choice.items, e->choice.name, input);
    case CHOICE_BOOL: {
        int d = space_add_bool(E->space, decision_name(E, e, e->choice.name), sl);
        return registered(E, d, e) ? leaf(E, d, NULL) : NULL;
    }
    case CHOICE_RANGE: {
        Value *lo = need_number(E, env, e->choice.lo);
        Value *hi = lo ? need_number(E, env, e->choice.hi) : NULL;
        Value *st = hi && e->choice.step ? need_number(E, env, e->choice.step) : NULL;
        if (!hi || (e->choice.step && !st)) return NULL;
        /* Bounds from a block's parameters are checked here, per instance (sema checks constants). */
        double l = lo->kind == V_INT ? (double)lo->i : lo->f, h = hi->kind == V_INT ? (double)hi->i : hi->f;
        double sv = !st ? 0 : st->kind == V_INT ? (double)st->i : st->f;
        /* a float folded past DBL_MAX (`1e308 * 10.0`) */
        double inf = !isfinite(l) ? l : !isfinite(h) ? h : sv;
        if (!isfinite(inf)) {
            const Node *at = !isfinite(l) ? e->choice.lo : !isfinite(h) ? e->choice.hi : e->choice.step;
            eval_fail(E, at->loc, "the bounds and the step of a range must be finite, not %g", inf);
            return NULL;
        }
        if (l > h) {
            eval_fail(E, e->loc, "empty range in this instance: the lower bound %g exceeds the upper bound %g", l, h);
            return NULL;
        }
        if (st && sv <= (e->choice.log ? 1 : 0)) { /* a log range's step is a factor */
            eval_fail(E, e->choice.step->loc,
                      e->choice.log ? "the step of a log range is the factor between neighbouring values and must "
                                      "be > 1 (in this instance)"
                                    : "the step of a range must be > 0 (in this instance)");
            return NULL;
        }
        if (e->choice.log && l <= 0) {
            eval_fail(E, e->choice.lo->loc, "a log range needs a lower bound > 0, not %g (in this instance)", l);
            return NULL;
        }
        const char *name = decision_name(E, e, e->choice.name);
        int d;
        if (lo->kind == V_INT && hi->kind == V_INT && (!st || st->kind == V_INT) && !e->choice.log)
            d = space_add_int_range(E->space, name, sl, lo->i, hi->i, st ? st->i : 1);
        else if (lo->kind == V_INT && hi->kind == V_INT && !st) d = add_int_log(E, name, sl, lo->i, hi->i);
        else {
            d = space_add_float_range(E->space, name, sl, l, h, sv, e->choice.log);
        }
        return registered(E, d, e) ? leaf(E, d, NULL) : NULL;
    }
    case CHOICE_SUBSET: {
        Value *k = eval_expr(E, env, e->choice.k);
        if (!k) return NULL;
        if (k->kind != V_INT) {
            eval_fail(E, e->choice.k->loc,
                      k->kind == V_SYM ? "the size of a subset cannot depend on a decision"
                                       : "the size of a subset must be an int");
            return NULL;
        }
        int n = e->choice.items.count;
        if (n > SPACE_SUBSET_MAX_N) {
            eval_fail(E, e->loc, "a subset is picked from at most %d elements; this list has %d", SPACE_SUBSET_MAX_N,
                      n);
            return NULL;
        }
        if (k->i >= 0 && k->i <= n && !subset_fits(E, e, (int)k->i, n)) return NULL;
        Value *list = eval_new(E, V_LIST);
        list->list.items = ARENA_ARRAY(E->a, Value *, n + 1);
        const char **labels = ARENA_ARRAY(E->a, const char *, n);
        for (int i = 0; i < n; i++) labels[i] = source_text(E, e->choice.items.items[i]);
        int d = space_add_subset(E->space, decision_name(E, e, e->choice.name), sl, (int)k->i, n, labels);
        if (!registered(E, d, e)) return NULL;
        /* Element i is evaluated only in architectures that pick it: its decisions too. */
        for (int i = 0; i < n; i++) {
            Cond saved;
            SpaceInterval *iv = ARENA_NEW(E->a, SpaceInterval);
            *iv = (SpaceInterval){i, i};
            enter_term(E, (CondTerm){.slot = d, .n = 1, .iv = iv}, &saved);
            Value *v = eval_expr(E, env, e->choice.items.items[i]);
            eval_leave_cond(E, &saved);
            if (!v) return NULL;
            /* Which tensors the subset holds is decided: their shapes are not the first k's. */
            if (v->kind == V_TENSOR) v = eval_lowered_vague(E, v);
            if (i < k->i) list->list.items[list->list.n++] = v;
        }
        return list;
    }
    }
    return NULL;
}

/* Instantiation: the value of the architecture's slot for this decision. */
static Value *instantiate_decision(Eval *E, Binding **env, const Node *e, Value *input)
{
    const char *key = site_key(E, 'D', e);
    bool found;
    int d = (int)keymap_get(E->keys, key, &found);
    bool sampled = false;
    int32_t v = found ? E->hooks->decision(E, d, &sampled) : SPACE_INACTIVE;
    if (v == SPACE_INACTIVE) {
        eval_fail(E, e->loc, "internal error: decision %s was %s", key,
                  found ? "inactive in this architecture but reached" : "not met while lowering");
        return NULL;
    }
    const Space *S = E->space;
    const SpaceDecision *sd = space_decision(S, d);
    const NodeList *items = e->kind == N_ONEOF ? &e->oneof.alts : &e->choice.items;
    Value *r;
    switch (e->kind == N_ONEOF ? CHOICE_LIST : e->choice.form) {
    case CHOICE_LIST: return input ? eval_apply(E, env, items->items[v], input) : eval_expr(E, env, items->items[v]);
    case CHOICE_BOOL:
        r = eval_new(E, V_BOOL);
        r->i = v;
        break;
    case CHOICE_RANGE:
        if (sd->kind != SPACE_FLOAT_RANGE) r = eval_int(E, space_value_int(S, d, v)); /* int log: ints */
        else {
            r = eval_new(E, V_FLOAT);
            r->f = space_value_float(S, d, v);
            if (sampled) r->sampled = SAMPLED_SELF;
        }
        break;
    case CHOICE_SUBSET:
        r = eval_new(E, V_LIST);
        r->list.items = ARENA_ARRAY(E->a, Value *, sd->n + 1);
        int picks[SPACE_SUBSET_MAX_N];
        for (int p = 0, np = space_subset_picks(S, d, v, picks); p < np; p++)
            if (!(r->list.items[r->list.n++] = eval_expr(E, env, items->items[picks[p]]))) return NULL;
        break;
    default: return NULL;
    }
    return input ? eval_call_value(E, r, &input, 1, NULL, NULL, 0, e) : r;
}

Value *eval_decision(Eval *E, Binding **env, const Node *e, Value *input)
{
    if (!E->lowering) return instantiate_decision(E, env, e, input);
    Value *r = lower_decision(E, env, e, input);
    if (!r) return NULL;
    if (input && r->kind == V_SYM) return eval_call_value(E, r, &input, 1, NULL, NULL, 0, e);
    return r;
}

/* ---- symbolic values ---- */

Value *eval_sym_value(Eval *E, const Value *v, const int32_t *assign)
{
    if (v->kind != V_SYM) return (Value *)v;
    if (v->sym.op == 'X') return (Value *)v->sym.a;
    if (v->sym.op == 0) {
        int32_t a = assign ? assign[v->sym.slot] : SPACE_INACTIVE;
        if (a < 0) return NULL;
        if (v->sym.vals) return v->sym.vals[a];
        const SpaceDecision *sd = space_decision(E->space, v->sym.slot);
        Value *r;
        switch (sd->kind) {
        case SPACE_INT_RANGE:
        case SPACE_CATEGORICAL: /* categorical: an int log range */
            return eval_int(E, space_value_int(E->space, v->sym.slot, a));
        case SPACE_FLOAT_RANGE:
            r = eval_new(E, V_FLOAT);
            r->f = space_value_float(E->space, v->sym.slot, a);
            return r;
        case SPACE_BOOL:
            r = eval_new(E, V_BOOL);
            r->i = a;
            return r;
        default: return eval_int(E, a);
        }
    }
    if (v->sym.op == 'S') {
        Value *c = eval_sym_value(E, v->sym.c, assign);
        if (!c) return NULL;
        return eval_sym_value(E, (c->kind == V_BOOL || c->kind == V_INT) && c->i ? v->sym.a : v->sym.b, assign);
    }
    Value *a = eval_sym_value(E, v->sym.a, assign);
    if (!a) return NULL;
    if (!v->sym.b) return eval_unop(E, v->sym.op, a, (Loc){.file = -1});
    Value *b = eval_sym_value(E, v->sym.b, assign);
    return b ? eval_binop(E, v->sym.op, a, b, (Loc){.file = -1}) : NULL;
}

static int merge_slot(int x, int y)
{
    if (x == -1) return y;
    if (y == -1 || x == y) return x;
    return -2;
}

int eval_sym_slot(const Value *v)
{
    if (!v || v->kind != V_SYM) return -1;
    if (v->sym.op == 0) return v->sym.slot;
    if (v->sym.op == 'X') return -2;
    int s = merge_slot(eval_sym_slot(v->sym.a), eval_sym_slot(v->sym.b));
    return v->sym.op == 'S' ? merge_slot(s, eval_sym_slot(v->sym.c)) : s;
}

/* Adds v's decisions not yet in out[0 .. n) (storing at most max); returns the new n. */
static int add_slots(const Value *v, int *out, int n, int max)
{
    if (!v || v->kind != V_SYM || n < 0) return n;
    if (v->sym.op == 'X') return -1; /* a value of several decisions without a table (eval_shape.c) */
    if (v->sym.op == 0) {
        for (int i = 0; i < n && i < max; i++)
            if (out[i] == v->sym.slot) return n;
        if (n < max) out[n] = v->sym.slot;
        return n + 1;
    }
    n = add_slots(v->sym.a, out, n, max);
    n = add_slots(v->sym.b, out, n, max);
    return v->sym.op == 'S' ? add_slots(v->sym.c, out, n, max) : n;
}

int eval_sym_slots(const Value *v, int *out, int max) { return add_slots(v, out, 0, max); }

/* ---- conditions ---- */

static bool term_allows(const CondTerm *c, int32_t v)
{
    for (int i = 0; i < c->n; i++)
        if (v >= c->iv[i].lo && v <= c->iv[i].hi) return true;
    return false;
}

/* Does decision d exist only where `t` holds? (a guard of d, or of a parent, on t's slot
 * within t's intervals) */
static bool implies(const Space *s, int d, const CondTerm *t)
{
    const SpaceDecision *x = space_decision(s, d);
    for (int g = 0; g < x->nguard; g++) {
        const SpaceGuard *gd = &x->guards[g];
        if (gd->parent == t->slot) {
            bool inside = true;
            for (int i = 0; i < gd->ncond && inside; i++)
                for (int32_t v = gd->cond[i].lo; v <= gd->cond[i].hi && inside; v++) inside = term_allows(t, v);
            if (inside) return true;
        } else if (gd->parent > t->slot && implies(s, gd->parent, t)) {
            return true;
        }
    }
    return false;
}

int eval_enter_cond(Eval *E, int slot, const bool *allowed, Cond *saved)
{
    *saved = E->cond;
    int arity = space_decision(E->space, slot)->arity;
    const CondTerm *same = NULL;
    for (int t = 0; t < E->cond.nterm; t++)
        if (E->cond.term[t].slot == slot) same = &E->cond.term[t];
    CondTerm nt = {.slot = slot, .iv = ARENA_ARRAY(E->a, SpaceInterval, arity / 2 + 1)};
    for (int v = 0; v < arity; v++) {
        if (!allowed[v] || (same && !term_allows(same, v))) continue;
        if (nt.n > 0 && nt.iv[nt.n - 1].hi == v - 1) nt.iv[nt.n - 1].hi = v;
        else nt.iv[nt.n++] = (SpaceInterval){v, v};
    }
    if (nt.n == 0) return 0; /* no architecture gets here */
    enter_term(E, nt, saved);
    return 1;
}

/* The conjunction of the current condition with nt in place of nt.slot's term, less the
 * terms another one implies; the old condition into *saved. */
static void enter_term(Eval *E, CondTerm nt, Cond *saved)
{
    int slot = nt.slot;
    *saved = E->cond;
    Cond c = {.refused = E->cond.refused, .refused_at = E->cond.refused_at};
    CondTerm *all = ARENA_ARRAY(E->a, CondTerm, E->cond.nterm + 1);
    int n = 0;
    for (int t = 0; t < E->cond.nterm; t++)
        if (E->cond.term[t].slot != slot) all[n++] = E->cond.term[t];
    all[n++] = nt;
    c.term = ARENA_ARRAY(E->a, CondTerm, n);
    for (int t = 0; t < n; t++) {
        bool implied = false;
        for (int u = 0; u < n && !implied; u++)
            implied = u != t && all[u].slot > all[t].slot && implies(E->space, all[u].slot, &all[t]);
        if (!implied) c.term[c.nterm++] = all[t];
    }
    E->cond = c;
}

void eval_leave_cond(Eval *E, const Cond *saved) { E->cond = *saved; }
