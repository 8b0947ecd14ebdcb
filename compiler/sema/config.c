/* config.c — builds the plain-C run configuration (config.h) from a program sema accepted. */
#include <string.h>
#include "config.h"
#include "sema.h"

typedef struct Builder { Program *p; Arena *a; NasConfig *c; } Builder;

static Node *value(const Node *decl, const char *key)
{
    Node *s = sema_setting(decl, key);
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
    d->name = decl->decl.name;
    const Node *f = value(decl, "format");
    const char *fmt = opt_name(f);
    d->format = strcmp(fmt, "csv") == 0 ? NAS_FORMAT_CSV
              : strcmp(fmt, "synthetic") == 0 ? NAS_FORMAT_SYNTHETIC : NAS_FORMAT_IDX;
    d->synthetic_n = int_or(B, sema_option_arg(f, "n", 0), 1000);
    d->synthetic_seed = int_or(B, sema_option_arg(f, "seed", 1), 1);
    d->path = str_or(B, value(decl, "path"), NULL);
    const Node *in = value(decl, "input");
    if (in && in->kind == N_LIST)
        for (int i = 0; i < in->list.items.count && i < NAS_MAX_INPUT_DIMS; i++)
            d->input[d->ninput++] = int_or(B, in->list.items.items[i], 1);
    d->classes = int_or(B, value(decl, "classes"), 0);
    d->mean = 0;
    d->std = 1;
    const Node *norm = sema_setting(decl, "normalize");
    for (int i = 0; norm && i < norm->setting.values.count; i++) {
        const Node *v = norm->setting.values.items[i];
        double x = num_or(B, sema_option_arg(v, "value", 0), 0);
        if (strcmp(opt_name(v), "mean") == 0) { d->has_mean = true; d->mean = x; }
        else { d->has_std = true; d->std = x; }
    }
}

static void build_controller(Builder *B, const Node *decl, NasController *c)
{
    static const char *const names[] = {"random", "grid", "sobol", "evolution", "reinforce"};
    const Node *alg = decl ? value(decl, "algorithm") : NULL;
    c->algorithm = NAS_ALGO_RANDOM;
    for (int i = 0; i < 5; i++)
        if (strcmp(opt_name(alg), names[i]) == 0) c->algorithm = (NasAlgorithm)i;
    c->population = int_or(B, sema_option_arg(alg, "population", 0), 64);
    c->sample = int_or(B, sema_option_arg(alg, "sample", 1), 16);
    c->lr = num_or(B, sema_option_arg(alg, "lr", 0), 0.01);
    c->baseline = num_or(B, sema_option_arg(alg, "baseline", 1), 0.95);
    c->entropy = num_or(B, sema_option_arg(alg, "entropy", 2), 0);
    c->seed = decl ? int_or(B, value(decl, "seed"), 0) : 0;
}

static void build_training(Builder *B, const Node *decl, NasTraining *t, int64_t epochs)
{
    t->epochs = int_or(B, value(decl, "epochs"), epochs);
    t->batch = int_or(B, value(decl, "batch"), 64);
    t->parallel = int_or(B, value(decl, "parallel"), 1);
    t->seed = int_or(B, value(decl, "seed"), 0);
    t->clip_norm = num_or(B, value(decl, "clip_norm"), 0);
    const char *pn = opt_name(value(decl, "precision"));
    t->precision = strcmp(pn, "bf16") == 0 ? NAS_PREC_BF16 : strcmp(pn, "fp16") == 0 ? NAS_PREC_FP16 : NAS_PREC_FP32;
    const Node *o = value(decl, "optimizer");
    const char *on = opt_name(o);
    NasOptimizer *op = &t->optimizer;
    if (!o) {
        *op = (NasOptimizer){.kind = NAS_OPT_SGD, .lr = 0.1, .momentum = 0.9};
    } else if (strcmp(on, "sgd") == 0) {
        op->kind = NAS_OPT_SGD;
        op->lr = num_or(B, sema_option_arg(o, "lr", 0), 0.1);
        op->momentum = num_or(B, sema_option_arg(o, "momentum", 1), 0);
        const SemaValue *nv = sema_const(B->p, sema_option_arg(o, "nesterov", 2));
        op->nesterov = nv && nv->kind == VAL_BOOL && nv->i;
        op->weight_decay = num_or(B, sema_option_arg(o, "weight_decay", 3), 0);
    } else {
        op->kind = strcmp(on, "adamw") == 0 ? NAS_OPT_ADAMW : NAS_OPT_ADAM;
        op->lr = num_or(B, sema_option_arg(o, "lr", 0), 0.001);
        op->beta1 = num_or(B, sema_option_arg(o, "beta1", 1), 0.9);
        op->beta2 = num_or(B, sema_option_arg(o, "beta2", 2), 0.999);
        op->eps = num_or(B, sema_option_arg(o, "eps", 3), 1e-8);
        op->weight_decay = num_or(B, sema_option_arg(o, "weight_decay", 4), op->kind == NAS_OPT_ADAMW ? 0.01 : 0);
    }
    const Node *s = value(decl, "schedule");
    static const char *const sched[] = {"constant", "linear_warmup", "cosine", "linear_decay"};
    t->schedule.kind = NAS_SCHED_CONSTANT;
    for (int i = 0; i < 4; i++)
        if (strcmp(opt_name(s), sched[i]) == 0) t->schedule.kind = (NasScheduleKind)i;
    t->schedule.warmup = int_or(B, sema_option_arg(s, "warmup", 0), 0);
    t->schedule.min_lr = num_or(B, sema_option_arg(s, "min_lr", 1), 0);
    t->schedule.final = num_or(B, sema_option_arg(s, "final", 1), 0);
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
    s->kind = NAS_STOP_CONST;       /* nothing sema accepts is left as this, but never stop by accident */
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
        s->window = int_or(B, sema_option_arg(e, "window", 0), 100);
    } else if (e->kind == N_BINARY) {
        bool flip = word_on_right(e);
        const Node *var = flip ? e->binary.rhs : e->binary.lhs;
        s->kind = NAS_STOP_COMPARE;
        s->cmp = cmp_of(e->binary.op, flip);
        s->limit = num_or(B, flip ? e->binary.lhs : e->binary.rhs, 0);
        const char *v = var->kind == N_NAME ? var->name.id : "";
        s->var = strcmp(v, "failed") == 0 ? NAS_STOP_FAILED
               : strcmp(v, "elapsed") == 0 ? NAS_STOP_ELAPSED : NAS_STOP_TRIALS;
    }
    return s;
}

static void build_search(Builder *B, const Node *decl, NasSearch *s)
{
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
    build_training(B, decl, &s->training, 1);
    s->trials = int_or(B, value(decl, "trials"), 1);
    s->max_failed = int_or(B, value(decl, "max_failed"), s->trials / 3);
    const Node *stop = value(decl, "stop");
    s->stop = stop ? build_stop(B, stop) : NULL;
    s->time_limit = num_or(B, value(decl, "time_limit"), 0);
}

static void build_train(Builder *B, const Node *decl, NasTrain *t)
{
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
    build_training(B, decl, &t->training, 10);
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
    for (int i = 0; rep && i < rep->setting.values.count; i++) r->report[nr++] = metric_ref(rep->setting.values.items[i]);
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
            c->weight = -0.07;
            for (int j = 0; j < n->constraint.soft.count; j++) {
                const Node *a = n->constraint.soft.items[j];
                c->weight = num_or(B, a->arg.value, c->weight);
            }
        }
    }
    return r;
}

static void build_proxy(Builder *B, const Node *decl, NasProxy *x)
{
    x->name = decl->decl.name;
    x->reference = int_or(B, value(decl, "reference"), 1);
    const Node *ep = value(decl, "epochs"), *dt = value(decl, "data"), *keep = value(decl, "keep");
    int ne = ep && ep->kind == N_LIST ? ep->list.items.count : 0;
    x->epochs = ARENA_ARRAY(B->a, int64_t, ne + 1);
    for (int i = 0; i < ne; i++) x->epochs[x->nepochs++] = int_or(B, ep->list.items.items[i], 1);
    int nd = dt && dt->kind == N_LIST ? dt->list.items.count : 0;
    x->data = ARENA_ARRAY(B->a, double, nd + 1);
    for (int i = 0; i < nd; i++) x->data[x->ndata++] = num_or(B, dt->list.items.items[i], 1);
    if (!nd) x->data[x->ndata++] = 1.0;
    if (keep && keep->kind == N_BINARY) {
        x->has_keep = true;
        bool flip = word_on_right(keep);
        x->keep_correlation = num_or(B, flip ? keep->binary.lhs : keep->binary.rhs, 0);
    }
}

NasConfig *config_build(Program *p)
{
    Builder B = {p, p->arena, ARENA_NEW(p->arena, NasConfig)};
    NasConfig *c = B.c;
    int counts[N_TYPE + 1] = {0};
    for (int m = 0; m < p->nmodules; m++)
        for (int i = 0; i < p->modules[m]->ast->decls.count; i++) counts[p->modules[m]->ast->decls.items[i]->kind]++;
    c->datasets = ARENA_ARRAY(p->arena, NasDataset, counts[N_DATASET] + 1);
    c->searches = ARENA_ARRAY(p->arena, NasSearch, counts[N_SEARCH] + 1);
    c->trains = ARENA_ARRAY(p->arena, NasTrain, counts[N_TRAIN] + 1);
    c->proxies = ARENA_ARRAY(p->arena, NasProxy, counts[N_PROXY] + 1);
    build_controller(&B, NULL, &c->controller);
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
            case N_CONTROLLER: c->has_controller = true; build_controller(&B, d, &c->controller); break;
            case N_REWARD: if (!c->reward) c->reward = build_reward(&B, d); break;
            case N_PROXY: build_proxy(&B, d, &c->proxies[c->nproxies++]); break;
            case N_TRAINER:
                if (!c->trainer) {
                    c->trainer = ARENA_NEW(p->arena, NasTrainer);
                    c->trainer->name = d->decl.name;
                    c->trainer->exec = str_or(&B, value(d, "exec"), NULL);
                    c->trainer->timeout = num_or(&B, value(d, "timeout"), 0);
                }
                break;
            default: break;
            }
        }
    }
    return c;
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
