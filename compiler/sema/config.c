/* config.c — builds the plain-C run configuration (config.h) from a program sema accepted:
 * scalar settings and options from the settings table (settings.h), structured values
 * (data parts, splits, lists, `stop when`, the reward) here. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "sema.h"
#include "settings.h"

typedef struct Builder {
    Program *p;
    Arena *a;
    NasConfig *c;
    NasDecided *decided;
    int ndecided, capdecided; /* of the declaration being built */
} Builder;

static Node *value(const Node *decl, const char *key)
{
    Node *s = decl ? sema_setting(decl, key) : NULL;
    return s && s->setting.values.count ? s->setting.values.items[0] : NULL;
}

static int64_t int_or(Builder *B, const Node *v, int64_t dflt)
{
    int64_t x;
    return v && sema_const_int(B->p, v, &x) ? x : dflt;
}

static double num_or(Builder *B, const Node *v, double dflt)
{
    double x;
    return v && sema_const_number(B->p, v, &x) ? x : dflt;
}

static const char *str_or(Builder *B, const Node *v, const char *dflt)
{
    const SemaValue *sv = v ? sema_const(B->p, v) : NULL;
    return sv && sv->kind == VAL_STRING ? sv->s : dflt;
}

/* The option word of `sgd(...)` or `idx`. */
static const char *opt_name(const Node *v)
{
    const Node *h = v && v->kind == N_CALL ? v->call.callee : v;
    return h && h->kind == N_NAME ? h->name.id : "";
}

/* ---- the table-driven part: scalar settings and options ---- */

static void store(char *field, FieldType ft, double x, const char *str)
{
    switch (ft) {
    case F_INT: *(int64_t *)field = (int64_t)x; break;
    case F_FLOAT: *(double *)field = x; break;
    case F_BOOL: *(bool *)field = x != 0; break;
    case F_ENUM: *(int *)field = (int)x; break;
    case F_STRING: *(const char **)field = str; break;
    case F_NONE: break;
    }
}

/* A value, or a decision (recorded: sema accepted it, so the field is a training one). */
static void put(Builder *B, const DeclSpec *ds, char *base, size_t off, FieldType ft, const Node *v, double dflt,
                bool positive, const char *name, const char *what)
{
    const SemaValue *sv = v ? sema_const(B->p, v) : NULL;
    double x = dflt;
    if (sv && sv->kind == VAL_BOOL) x = (double)sv->i;
    else if (v && !sema_const_number(B->p, v, &x) && ft != F_STRING && ds->training != NO_TRAINING) {
        x = dflt;
        if (B->ndecided == B->capdecided) {
            B->capdecided = B->capdecided ? 2 * B->capdecided : 4;
            NasDecided *g = ARENA_ARRAY(B->a, NasDecided, B->capdecided);
            if (B->ndecided) memcpy(g, B->decided, sizeof *g * (size_t)B->ndecided);
            B->decided = g;
        }
        B->decided[B->ndecided++] = (NasDecided){name, what, off - ds->training, ft == F_INT, positive, v};
    }
    store(base + off, ft, x, ft == F_STRING ? str_or(B, v, NULL) : NULL);
}

static void put_params(Builder *B, const DeclSpec *ds, char *base, const SettingSpec *sp, const Option *o,
                       const Node *call)
{
    for (int i = 0; i < o->n; i++) {
        const OptParam *pa = &o->params[i];
        if (pa->ftype == F_NONE || (!call && !pa->has_default)) continue;
        const Node *arg = call ? sema_option_arg(call, pa->name, i) : NULL;
        if (call && !arg) continue;
        put(B, ds, base, sp->opt_base + pa->offset, pa->ftype, arg, pa->dflt, pa->positive, pa->name,
            arena_printf(B->a, "%s of %s", pa->name, o->name));
    }
}

/* An option setting: every option's defaults first (the struct is complete whichever is
 * chosen), then the chosen option's (or the setting's default with its arguments). */
static void put_option(Builder *B, const DeclSpec *ds, char *base, const SettingSpec *sp, const Node *v)
{
    const Option *chosen = NULL;
    for (int i = 0; i < sp->nopts; i++) {
        if (v ? strcmp(opt_name(v), sp->opts[i].name) == 0 : sp->opts[i].value == (int)sp->dflt) chosen = &sp->opts[i];
        put_params(B, ds, base, sp, &sp->opts[i], NULL);
    }
    if (!chosen) return; /* sema accepts none of these */
    store(base + sp->offset, sp->ftype, chosen->value, NULL);
    put_params(B, ds, base, sp, chosen, NULL);
    if (!v && sp->dflt_opt) put_params(B, ds, base, sp, sp->dflt_opt, NULL);
    if (v) put_params(B, ds, base, sp, chosen, v);
}

/* Fills the fields of `base`, the config struct of a declaration (decl NULL: all defaults),
 * that the table says how to fill; the others are built by the caller. */
static void fill(Builder *B, NodeKind kind, const Node *decl, void *base)
{
    const DeclSpec *ds = settings_decl(kind);
    B->decided = NULL;
    B->ndecided = B->capdecided = 0;
    for (int i = 0; i < ds->n; i++) {
        const SettingSpec *sp = &ds->s[i];
        if (sp->ftype == F_NONE) continue;
        const Node *v = value(decl, sp->key);
        if (sp->kind == SK_OPTION) put_option(B, ds, base, sp, v);
        else put(B, ds, base, sp->offset, sp->ftype, v, sp->dflt, sp->min > 0, sp->key, sp->key);
    }
    if (ds->training != NO_TRAINING) {
        NasTraining *t = (NasTraining *)((char *)base + ds->training);
        t->decided = B->decided;
        t->ndecided = B->ndecided;
    }
}

/* The largest value a decided int can take when it is a choice: the largest constant item or
 * the range's upper bound; `dflt` for anything else. */
static int64_t largest(const Program *p, const Node *expr, int64_t dflt)
{
    const Node *e = sema_choice_of(expr);
    int64_t x, best = INT64_MIN;
    if (!e) return dflt;
    if (e->choice.form == CHOICE_RANGE) return sema_const_int(p, e->choice.hi, &x) ? x : dflt;
    for (int i = 0; e->choice.form == CHOICE_LIST && i < e->choice.items.count; i++) {
        if (!sema_const_int(p, e->choice.items.items[i], &x)) return dflt;
        if (x > best) best = x;
    }
    return best == INT64_MIN ? dflt : best;
}

int64_t config_batch_max(const Program *p, const NasTraining *t)
{
    for (int k = 0; k < t->ndecided; k++)
        if (t->decided[k].offset == offsetof(NasTraining, batch)) return largest(p, t->decided[k].expr, t->batch);
    return t->batch;
}

void config_set_decided(NasTraining *t, const NasDecided *d, double v)
{
    store((char *)t + d->offset, d->integer ? F_INT : F_FLOAT, d->integer ? (double)llround(v) : v, NULL);
}

static NasDataPart data_part(Builder *B, const Node *e)
{
    NasDataPart d = {0};
    if (e && e->kind == N_MEMBER && e->member.object->kind == N_NAME) {
        d.dataset = config_dataset(B->c, e->member.object->name.id);
        d.test = strcmp(e->member.field, "test") == 0;
    }
    return d;
}

static void build_dataset(Builder *B, const Node *decl, NasDataset *d)
{
    fill(B, N_DATASET, decl, d);
    d->name = decl->decl.name;
    const Node *in = value(decl, "input");
    if (in && in->kind == N_LIST)
        for (int i = 0; i < in->list.items.count && i < NAS_MAX_INPUT_DIMS; i++)
            d->input[d->ninput++] = int_or(B, in->list.items.items[i], 1);
    d->mean = 0;
    d->std = 1;
    const Node *norm = sema_setting(decl, "normalize");
    for (int i = 0; norm && i < norm->setting.values.count; i++) {
        const Node *v = norm->setting.values.items[i];
        double x = num_or(B, sema_option_arg(v, "value", 0), 0);
        if (strcmp(opt_name(v), "mean") == 0) {
            d->has_mean = true;
            d->mean = x;
        } else {
            d->has_std = true;
            d->std = x;
        }
    }
}

/* In `a op b`, whether the word (metric, `failed`, `correlation`, ...) is on the right. */
static bool word_on_right(const Node *e)
{
    const Node *l = e->binary.lhs;
    return !(l->kind == N_NAME && l->sym && l->sym->kind == SYM_VOCAB);
}

static NasCmp cmp_of(int op, bool flip)
{
    switch (op) {
    case OP_EQ: return NAS_CMP_EQ;
    case OP_NE: return NAS_CMP_NE;
    case OP_LT: return flip ? NAS_CMP_GT : NAS_CMP_LT;
    case OP_LE: return flip ? NAS_CMP_GE : NAS_CMP_LE;
    case OP_GT: return flip ? NAS_CMP_LT : NAS_CMP_GT;
    default: return flip ? NAS_CMP_LE : NAS_CMP_GE;
    }
}

static const NasStop *build_stop(Builder *B, const Node *e)
{
    NasStop *s = ARENA_NEW(B->a, NasStop);
    s->kind = NAS_STOP_CONST; /* nothing sema accepts is left as this, but never stop by accident */
    const SemaValue *cv = sema_const(B->p, e);
    if (cv && cv->kind == VAL_BOOL) {
        s->kind = NAS_STOP_CONST;
        s->value = cv->i != 0;
    } else if (e->kind == N_BINARY && (e->binary.op == OP_OR || e->binary.op == OP_AND)) {
        s->kind = e->binary.op == OP_OR ? NAS_STOP_OR : NAS_STOP_AND;
        s->a = build_stop(B, e->binary.lhs);
        s->b = build_stop(B, e->binary.rhs);
    } else if (e->kind == N_UNARY) {
        s->kind = NAS_STOP_NOT;
        s->a = build_stop(B, e->unary.operand);
    } else if (e->kind == N_CALL || (e->kind == N_NAME && strcmp(e->name.id, "converged") == 0)) {
        s->kind = NAS_STOP_CONVERGED;
        s->window = int_or(B, sema_option_arg(e, "window", 0), (int64_t)settings_converged.params[0].dflt);
    } else if (e->kind == N_BINARY) {
        bool flip = word_on_right(e);
        const Node *var = flip ? e->binary.rhs : e->binary.lhs;
        s->kind = NAS_STOP_COMPARE;
        s->cmp = cmp_of(e->binary.op, flip);
        s->limit = num_or(B, flip ? e->binary.lhs : e->binary.rhs, 0);
        const char *v = var->kind == N_NAME ? var->name.id : "";
        s->var = strcmp(v, "failed") == 0     ? NAS_STOP_FAILED
                 : strcmp(v, "elapsed") == 0  ? NAS_STOP_ELAPSED
                 : strcmp(v, "trials") == 0   ? NAS_STOP_TRIALS
                 : strcmp(v, "spearman") == 0 ? NAS_KEEP_SPEARMAN
                                              : NAS_KEEP_KENDALL; /* kendall, correlation */
    }
    return s;
}

/* `augment crop(...), flip(...), cutout(...)`: each option's arguments or their defaults. */
static void build_augment(Builder *B, const Node *decl, NasAugment *a)
{
    const Node *aug = sema_setting(decl, "augment");
    for (int i = 0; aug && i < aug->setting.values.count; i++) {
        const Node *v = aug->setting.values.items[i];
        const char *name = opt_name(v);
        if (strcmp(name, "crop") == 0) a->crop_padding = int_or(B, sema_option_arg(v, "padding", 0), 4);
        else if (strcmp(name, "flip") == 0) a->flip_p = num_or(B, sema_option_arg(v, "p", 0), 0.5);
        else {
            a->cutout_size = int_or(B, sema_option_arg(v, "size", 0), 8);
            a->cutout_p = num_or(B, sema_option_arg(v, "p", 1), 1);
        }
    }
}

static void build_search(Builder *B, const Node *decl, NasSearch *s)
{
    fill(B, N_SEARCH, decl, s);
    build_augment(B, decl, &s->training.augment);
    s->name = decl->decl.name;
    const Node *d = value(decl, "data");
    s->train_fraction = 1;
    if (d && d->kind == N_SPLIT) {
        s->data = data_part(B, d->split.data);
        const Node *r = d->split.ratio;
        if (r->kind == N_BINARY) {
            s->train_fraction = num_or(B, r->binary.lhs, 1);
            s->valid_fraction = num_or(B, r->binary.rhs, 0);
        }
    } else {
        s->data = data_part(B, d);
    }
    if (!value(decl, "max_failed")) s->max_failed = s->trials / 3;
    const Node *stop = value(decl, "stop");
    s->stop = stop ? build_stop(B, stop) : NULL;
}

static void build_train(Builder *B, const Node *decl, NasTrain *t)
{
    fill(B, N_TRAIN, decl, t);
    build_augment(B, decl, &t->training.augment);
    t->name = decl->decl.name;
    t->top = 1;
    for (int i = 0; i < decl->decl.items.count; i++) {
        const Node *n = decl->decl.items.items[i];
        if (n->kind != N_FROM) continue;
        t->from = config_search(B->c, n->from.stage);
        t->top = int_or(B, n->from.top, 1);
    }
    const Node *d = value(decl, "data");
    if (d && d->kind == N_BINARY && d->binary.op == OP_DIV) {
        t->data = data_part(B, d->binary.lhs);
        t->validate = data_part(B, d->binary.rhs);
        t->has_validate = true;
    } else {
        t->data = data_part(B, d);
    }
}

/* The items of a list setting (0: absent, or not a list, which sema reported). */
static int list_len(const Node *l) { return l && l->kind == N_LIST ? l->list.items.count : 0; }

/* Where each of a list setting's n items is written; for none, one entry at no place (the
 * default's). */
static Loc *list_locs(Builder *B, const Node *l, int n)
{
    Loc *at = ARENA_ARRAY(B->a, Loc, n + 1);
    for (int i = 0; i < n; i++) at[i] = l->list.items.items[i]->loc;
    if (!n) at[0] = (Loc){.file = -1};
    return at;
}

static NasProxy *build_proxy(Builder *B, const Node *decl)
{
    NasProxy *x = ARENA_NEW(B->a, NasProxy);
    x->name = decl->decl.name;
    x->reference = int_or(B, value(decl, "reference"), 1);
    x->full_epochs = int_or(B, value(decl, "full_epochs"), 0);
    const Node *e = value(decl, "epochs"), *d = value(decl, "data"), *keep = value(decl, "keep");
    int ne = list_len(e), nd = list_len(d);
    int64_t *epochs = ARENA_ARRAY(B->a, int64_t, ne + 1);
    double *data = ARENA_ARRAY(B->a, double, nd + 1);
    for (int i = 0; i < ne; i++) epochs[i] = int_or(B, e->list.items.items[i], 1);
    for (int i = 0; i < nd; i++) data[i] = num_or(B, d->list.items.items[i], 1);
    if (!nd) data[nd++] = 1;
    const Node *r = value(decl, "resolution");
    int nr = list_len(r);
    int64_t *res = ARENA_ARRAY(B->a, int64_t, nr + 1); /* without one, res[0] = 0: the declared input */
    for (int i = 0; i < nr; i++) res[i] = int_or(B, r->list.items.items[i], 0);
    x->resolution = res;
    x->resolution_at = list_locs(B, r, nr);
    x->nresolution = nr ? nr : 1;
    const Node *w = value(decl, "width");
    int nw = list_len(w);
    double *width = ARENA_ARRAY(B->a, double, nw + 1);
    width[0] = 1; /* without one: the full width */
    for (int i = 0; i < nw; i++) width[i] = num_or(B, w->list.items.items[i], 1);
    x->width = width;
    x->width_at = list_locs(B, w, nw);
    x->nwidth = nw ? nw : 1;
    x->epochs = epochs;
    x->nepochs = ne;
    x->data = data;
    x->ndata = nd;
    x->keep = keep ? build_stop(B, keep) : NULL;
    return x;
}

static void build_tune(Builder *B, const Node *decl, NasTune *t)
{
    fill(B, N_TUNE, decl, t);
    build_augment(B, decl, &t->training.augment);
    t->name = decl->decl.name;
    t->top = 1;
    for (int i = 0; i < decl->decl.items.count; i++) {
        const Node *n = decl->decl.items.items[i];
        if (n->kind != N_FROM) continue;
        t->from_search = config_search(B->c, n->from.stage);
        for (int k = 0; !t->from_search && k < B->c->ntrains; k++)
            if (B->c->trains[k].name && !strcmp(B->c->trains[k].name, n->from.stage)) t->from_train = &B->c->trains[k];
        t->top = int_or(B, n->from.top, 1);
    }
    const Node *d = value(decl, "data");
    t->train_fraction = 1;
    if (d && d->kind == N_SPLIT) {
        t->data = data_part(B, d->split.data);
        const Node *r = d->split.ratio;
        if (r->kind == N_BINARY) {
            t->train_fraction = num_or(B, r->binary.lhs, 1);
            t->valid_fraction = num_or(B, r->binary.rhs, 0);
        }
    }
}

static NasMetricRef metric_ref(const Node *e)
{
    static const char *const names[] = {"accuracy", "loss", "latency", "memory", "params", "flops"};
    NasMetricRef m = {NAS_METRIC_EXTERNAL, e && e->kind == N_NAME ? e->name.id : "?"};
    for (int i = 0; i < 6; i++)
        if (strcmp(m.name, names[i]) == 0) m.metric = (NasMetric)i;
    return m;
}

static NasReward *build_reward(Builder *B, const Node *decl)
{
    NasReward *r = ARENA_NEW(B->a, NasReward);
    r->name = decl->decl.name;
    int no = 0, nc = 0, nr = 0;
    const Node *rep = sema_setting(decl, "report");
    for (int i = 0; i < decl->decl.items.count; i++) {
        NodeKind k = decl->decl.items.items[i]->kind;
        no += k == N_OBJECTIVE;
        nc += k == N_CONSTRAINT;
    }
    r->objectives = ARENA_ARRAY(B->a, NasObjective, no + 1);
    r->constraints = ARENA_ARRAY(B->a, NasConstraint, nc + 1);
    r->report = ARENA_ARRAY(B->a, NasMetricRef, (rep ? rep->setting.values.count : 0) + 1);
    for (int i = 0; rep && i < rep->setting.values.count; i++)
        r->report[nr++] = metric_ref(rep->setting.values.items[i]);
    r->nreport = nr;
    for (int i = 0; i < decl->decl.items.count; i++) {
        const Node *n = decl->decl.items.items[i];
        if (n->kind == N_OBJECTIVE) {
            NasObjective *o = &r->objectives[r->nobjectives++];
            o->metric = metric_ref(n->objective.metric);
            o->maximize = n->objective.maximize;
            o->has_ref = n->objective.ref != NULL;
            o->ref = num_or(B, n->objective.ref, 0);
        } else if (n->kind == N_CONSTRAINT && n->constraint.cond->kind == N_BINARY) {
            NasConstraint *c = &r->constraints[r->nconstraints++];
            const Node *e = n->constraint.cond;
            bool flip = word_on_right(e);
            c->metric = metric_ref(flip ? e->binary.rhs : e->binary.lhs);
            c->cmp = cmp_of(e->binary.op, flip);
            c->target = num_or(B, flip ? e->binary.lhs : e->binary.rhs, 0);
            c->soft = n->constraint.is_soft;
            c->hard = n->constraint.hard;
            c->weight = settings_soft.params[0].dflt;
            for (int j = 0; j < n->constraint.soft.count; j++) {
                const Node *a = n->constraint.soft.items[j];
                c->weight = num_or(B, a->arg.value, c->weight);
            }
        }
    }
    return r;
}

NasConfig *config_build(Program *p)
{
    Builder B = {.p = p, .a = p->arena, .c = ARENA_NEW(p->arena, NasConfig)};
    NasConfig *c = B.c;
    int counts[N_TYPE + 1] = {0};
    for (int m = 0; m < p->nmodules; m++)
        for (int i = 0; i < p->modules[m]->ast->decls.count; i++) counts[p->modules[m]->ast->decls.items[i]->kind]++;
    c->datasets = ARENA_ARRAY(p->arena, NasDataset, counts[N_DATASET] + 1);
    c->searches = ARENA_ARRAY(p->arena, NasSearch, counts[N_SEARCH] + 1);
    c->trains = ARENA_ARRAY(p->arena, NasTrain, counts[N_TRAIN] + 1);
    c->tunes = ARENA_ARRAY(p->arena, NasTune, counts[N_TUNE] + 1);
    fill(&B, N_CONTROLLER, NULL, &c->controller);
    /* Two passes: parts refer to datasets, trains to searches, in any source order. */
    for (int pass = 0; pass < 2; pass++)
        for (int m = 0; m < p->nmodules; m++) {
            NodeList ds = p->modules[m]->ast->decls;
            for (int i = 0; i < ds.count; i++) {
                const Node *d = ds.items[i];
                if (pass == 0 && d->kind == N_DATASET) build_dataset(&B, d, &c->datasets[c->ndatasets++]);
                if (pass == 1 && d->kind == N_SEARCH) build_search(&B, d, &c->searches[c->nsearches++]);
            }
        }
    for (int m = 0; m < p->nmodules; m++) {
        NodeList ds = p->modules[m]->ast->decls;
        for (int i = 0; i < ds.count; i++) {
            const Node *d = ds.items[i];
            switch (d->kind) {
            case N_TRAIN: build_train(&B, d, &c->trains[c->ntrains++]); break;
            case N_CONTROLLER: fill(&B, N_CONTROLLER, d, &c->controller); break;
            case N_REWARD:
                if (!c->reward) c->reward = build_reward(&B, d);
                break;
            case N_PROXY:
                if (!c->proxy) c->proxy = build_proxy(&B, d);
                break;
            case N_TRAINER:
                if (!c->trainer) {
                    c->trainer = ARENA_NEW(p->arena, NasTrainer);
                    fill(&B, N_TRAINER, d, c->trainer);
                    c->trainer->name = d->decl.name;
                    const Node *l = value(d, "decisions");
                    if (l && l->kind == N_LIST) {
                        c->trainer->decisions = (const Node *const *)l->list.items.items;
                        c->trainer->ndecisions = l->list.items.count;
                    }
                }
                break;
            default: break;
            }
        }
    }
    /* After the trains: a tune may tune the best of one. */
    for (int m = 0; m < p->nmodules; m++)
        for (int i = 0; i < p->modules[m]->ast->decls.count; i++)
            if (p->modules[m]->ast->decls.items[i]->kind == N_TUNE)
                build_tune(&B, p->modules[m]->ast->decls.items[i], &c->tunes[c->ntunes++]);
    return c;
}

bool config_reward_reads_latency(const NasReward *r)
{
    for (int i = 0; r && i < r->nobjectives; i++)
        if (r->objectives[i].metric.metric == NAS_METRIC_LATENCY) return true;
    for (int i = 0; r && i < r->nconstraints; i++)
        if (r->constraints[i].metric.metric == NAS_METRIC_LATENCY) return true;
    return false;
}

bool config_compare(double x, NasCmp cmp, double limit)
{
    switch (cmp) {
    case NAS_CMP_EQ: return x == limit;
    case NAS_CMP_NE: return x != limit;
    case NAS_CMP_LT: return x < limit;
    case NAS_CMP_LE: return x <= limit;
    case NAS_CMP_GT: return x > limit;
    case NAS_CMP_GE: return x >= limit;
    }
    return false;
}

bool config_same_shape(const int64_t *a, int na, const int64_t *b, int nb)
{
    while (na > 1 && a[0] == 1) {
        a++;
        na--;
    }
    while (nb > 1 && b[0] == 1) {
        b++;
        nb--;
    }
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (a[i] != b[i]) return false;
    return true;
}

void config_shape_text(const int64_t *d, int n, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%lld", i ? ", " : "", (long long)d[i]);
    if (k < size) snprintf(buf + k, size - k, "]");
}

bool config_proxy_input(const NasConfig *c, int64_t r, int64_t out[3])
{
    const NasDataset *ds = c->nsearches ? c->searches[0].data.dataset : NULL;
    if (!ds || ds->ninput != 3 || r <= 0 || r >= ds->input[1]) return false;
    int64_t h = ds->input[1], w = (ds->input[2] * r * 2 + h) / (2 * h);
    out[0] = ds->input[0];
    out[1] = r;
    out[2] = w > 0 ? w : 1;
    return true;
}

const NasDataset *config_dataset(const NasConfig *c, const char *name)
{
    for (int i = 0; i < c->ndatasets; i++)
        if (c->datasets[i].name && strcmp(c->datasets[i].name, name) == 0) return &c->datasets[i];
    return NULL;
}

const NasSearch *config_search(const NasConfig *c, const char *name)
{
    for (int i = 0; i < c->nsearches; i++)
        if (c->searches[i].name && strcmp(c->searches[i].name, name) == 0) return &c->searches[i];
    return NULL;
}
