/* codegen_spec.c — building, checking and hashing kernel specs; the optimizer spec. */
#include "codegen.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A builder error is remembered by poisoning nops (cg_spec_check reports it). */
enum { SPEC_POISON = CG_MAX_OPS + 1 };

static void spec_init(CgSpec *s, CgKind kind)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
}

void cg_spec_map(CgSpec *s, int64_t n, int64_t channels, int64_t inner)
{
    spec_init(s, CG_MAP);
    s->n = n;
    s->channels = channels;
    s->inner = channels > 0 ? inner : 0;
}

void cg_spec_channel_sum(CgSpec *s, int64_t outer, int64_t channels, int64_t inner)
{
    spec_init(s, CG_CHANNEL_SUM);
    s->n = outer * channels * inner;
    s->channels = channels;
    s->inner = inner;
}

void cg_spec_xent(CgSpec *s, int64_t rows, int64_t cols)
{
    spec_init(s, CG_SOFTMAX_XENT);
    s->rows = rows;
    s->cols = cols;
    s->nbufs = 5;
    s->nscalars = 2;
}

static int push(CgSpec *s, CgOp op)
{
    if (s->nops >= CG_MAX_OPS) {
        s->nops = SPEC_POISON;
        return -1;
    }
    s->ops[s->nops] = op;
    return s->nops++;
}

static int valid_value(const CgSpec *s, int v) { return v >= 0 && v < s->nops; }

static int push_slot(CgSpec *s, CgOpKind k, int slot, int is_scalar)
{
    if (slot < 0 || slot >= (is_scalar ? CG_MAX_SCALARS : CG_MAX_BUFS)) {
        s->nops = SPEC_POISON;
        return -1;
    }
    if (is_scalar) {
        if (slot >= s->nscalars) s->nscalars = slot + 1;
    } else if (slot >= s->nbufs) s->nbufs = slot + 1;
    return push(s, (CgOp){.kind = k, .buf = slot, .a = -1, .b = -1, .c = -1, .d = -1});
}

int cg_load(CgSpec *s, int slot) { return push_slot(s, CG_LOAD, slot, 0); }
int cg_load_ch(CgSpec *s, int slot) { return push_slot(s, CG_LOAD_CH, slot, 0); }
int cg_scalar(CgSpec *s, int slot) { return push_slot(s, CG_SCALAR, slot, 1); }

int cg_rand(CgSpec *s, int seed_slot, int stream)
{
    int v = push_slot(s, CG_RAND, seed_slot, 1);
    if (v >= 0) s->ops[v].imm = (float)stream;
    return v;
}

int cg_const(CgSpec *s, float c)
{
    return push(s, (CgOp){.kind = CG_CONST, .imm = c, .a = -1, .b = -1, .c = -1, .d = -1});
}

static int push_ops(CgSpec *s, CgOpKind k, int n, int a, int b, int c, int d, CgCmp cmp)
{
    int args[4] = {a, b, c, d};
    for (int i = 0; i < n; i++)
        if (!valid_value(s, args[i]) || s->ops[args[i]].kind >= CG_STORE) {
            s->nops = SPEC_POISON;
            return -1;
        }
    return push(
        s,
        (CgOp){
            .kind = k, .cmp = cmp, .a = a, .b = n > 1 ? b : -1, .c = n > 2 ? c : -1, .d = n > 3 ? d : -1, .buf = -1});
}

int cg_bin(CgSpec *s, CgOpKind k, int a, int b)
{
    if (k < CG_ADD || k > CG_MIN) {
        s->nops = SPEC_POISON;
        return -1;
    }
    return push_ops(s, k, 2, a, b, -1, -1, CG_LT);
}

int cg_un(CgSpec *s, CgOpKind k, int a)
{
    if (k < CG_NEG || k > CG_GELU_DX) {
        s->nops = SPEC_POISON;
        return -1;
    }
    return push_ops(s, k, 1, a, -1, -1, -1, CG_LT);
}

int cg_fma(CgSpec *s, int a, int b, int c) { return push_ops(s, CG_FMA, 3, a, b, c, -1, CG_LT); }

int cg_select(CgSpec *s, CgCmp cmp, int a, int b, int t, int f) { return push_ops(s, CG_SELECT, 4, a, b, t, f, cmp); }

static void push_effect(CgSpec *s, CgOpKind k, int slot, int v)
{
    int op = push_slot(s, k, slot, 0);
    if (op < 0) return;
    if (!valid_value(s, v) || s->ops[v].kind >= CG_STORE) {
        s->nops = SPEC_POISON;
        return;
    }
    s->ops[op].a = v;
}

void cg_store(CgSpec *s, int slot, int v) { push_effect(s, CG_STORE, slot, v); }
void cg_accum(CgSpec *s, int slot, int v) { push_effect(s, CG_ACCUM, slot, v); }

static int fail(CgError *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int cg_spec_check(const CgSpec *s, CgError *err)
{
    if (s->nops == SPEC_POISON)
        return fail(err, "codegen: malformed kernel spec (an op had a bad operand or slot, or more than %d ops)",
                    CG_MAX_OPS);
    if (s->nops < 0 || s->nops > CG_MAX_OPS || s->nbufs < 0 || s->nbufs > CG_MAX_BUFS || s->nscalars < 0 ||
        s->nscalars > CG_MAX_SCALARS)
        return fail(err, "codegen: kernel spec counts out of range");
    if (s->kind == CG_SOFTMAX_XENT) {
        if (s->rows < 0 || s->cols < 1 || s->nops != 0 || s->nbufs != 5 || s->nscalars != 2)
            return fail(err, "codegen: softmax-xent spec needs rows >= 0, cols >= 1, 5 buffers, 2 scalars, no ops");
        return 0;
    }
    if (s->kind != CG_MAP && s->kind != CG_CHANNEL_SUM)
        return fail(err, "codegen: unknown kernel kind %d", (int)s->kind);
    if (s->n < 0 || s->channels < 0 || (s->channels > 0 && s->inner < 1))
        return fail(err, "codegen: bad shape n=%lld channels=%lld inner=%lld", (long long)s->n, (long long)s->channels,
                    (long long)s->inner);
    if (s->channels > 0 && s->n % (s->channels * s->inner) != 0)
        return fail(err, "codegen: n=%lld is not a multiple of channels*inner=%lld", (long long)s->n,
                    (long long)(s->channels * s->inner));
    if (s->kind == CG_CHANNEL_SUM && s->channels < 1) return fail(err, "codegen: channel sum needs channels >= 1");
    int effects = 0;
    for (int i = 0; i < s->nops; i++) {
        const CgOp *o = &s->ops[i];
        if (o->kind == CG_LOAD_CH && s->channels < 1)
            return fail(err, "codegen: op %d: per-channel load in a spec without channels", i);
        if (o->kind == CG_STORE && s->kind != CG_MAP)
            return fail(err, "codegen: op %d: store is only allowed in map kernels", i);
        if (o->kind == CG_ACCUM && s->kind != CG_CHANNEL_SUM)
            return fail(err, "codegen: op %d: accum is only allowed in channel-sum kernels", i);
        if (o->kind == CG_RAND && (o->imm != floorf(o->imm) || fabsf(o->imm) > 1e9f))
            return fail(err, "codegen: op %d: rand stream must be an integer", i);
        effects += o->kind >= CG_STORE;
    }
    if (effects == 0 && s->nops > 0) return fail(err, "codegen: kernel has no store/accum: it would compute nothing");
    return 0;
}

/* FNV-1a over the fields that define the kernel (not padding). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t cg_spec_hash(const CgSpec *s)
{
    uint64_t h = 1469598103934665603ull;
    int32_t head[3] = {(int32_t)s->kind, s->nbufs, s->nscalars};
    int64_t dims[5] = {s->n, s->channels, s->inner, s->rows, s->cols};
    h = fnv(h, head, sizeof head);
    h = fnv(h, dims, sizeof dims);
    for (int i = 0; i < s->nops && i < CG_MAX_OPS; i++) {
        const CgOp *o = &s->ops[i];
        int32_t f[7] = {(int32_t)o->kind, (int32_t)o->cmp, o->a, o->b, o->c, o->d, o->buf};
        uint32_t imm;
        memcpy(&imm, &o->imm, 4);
        h = fnv(h, f, sizeof f);
        h = fnv(h, &imm, 4);
    }
    return h;
}

int64_t cg_spec_domain(const CgSpec *s, CgTarget t)
{
    switch (s->kind) {
    case CG_MAP: return s->n;
    case CG_CHANNEL_SUM: return t == CG_TARGET_CPU ? s->channels : s->n / (s->inner > 0 ? s->inner : 1);
    case CG_SOFTMAX_XENT: return s->rows;
    }
    return 0;
}

const char *cg_op_name(CgOpKind k)
{
    static const char *names[] = {
        "load",  "load_ch", "const",    "scalar",  "rand", "add",    "sub",   "mul",     "div",  "max",
        "min",   "neg",     "exp",      "log",     "sqrt", "rsqrt",  "tanh",  "sigmoid", "relu", "relu6",
        "swish", "gelu",    "swish_dx", "gelu_dx", "fma",  "select", "store", "accum",
    };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void cg_spec_optimizer(CgSpec *s, int64_t n, const CgOptim *o)
{
    cg_spec_map(s, n, 0, 0);
    int p = cg_load(s, 0), g = cg_load(s, 1), st1 = cg_load(s, 2);
    int lr = cg_scalar(s, 0);
    float wd = o->kind == CG_ADAMW ? 0.0f : o->weight_decay;
    if (o->kind == CG_ADAMW && o->weight_decay != 0.0f) /* decoupled: p -= lr*wd*p */
        p = cg_bin(s, CG_SUB, p, cg_bin(s, CG_MUL, cg_bin(s, CG_MUL, lr, cg_const(s, o->weight_decay)), p));
    if (wd != 0.0f) g = cg_fma(s, cg_const(s, wd), p, g);
    if (o->kind == CG_SGD) {
        int mu = cg_const(s, o->momentum);
        int v = cg_fma(s, mu, st1, g);
        cg_store(s, 2, v);
        int step = o->nesterov ? cg_fma(s, mu, v, g) : v;
        cg_store(s, 0, cg_bin(s, CG_SUB, p, cg_bin(s, CG_MUL, lr, step)));
        return;
    }
    int st2 = cg_load(s, 3);
    int m = cg_fma(s, cg_const(s, o->beta1), st1, cg_bin(s, CG_MUL, cg_const(s, 1.0f - o->beta1), g));
    int g2 = cg_bin(s, CG_MUL, g, g);
    int v = cg_fma(s, cg_const(s, o->beta2), st2, cg_bin(s, CG_MUL, cg_const(s, 1.0f - o->beta2), g2));
    cg_store(s, 2, m);
    cg_store(s, 3, v);
    int denom = cg_fma(s, cg_un(s, CG_SQRT, v), cg_scalar(s, 2), cg_const(s, o->eps));
    int upd = cg_bin(s, CG_DIV, cg_bin(s, CG_MUL, m, cg_scalar(s, 1)), denom);
    cg_store(s, 0, cg_bin(s, CG_SUB, p, cg_bin(s, CG_MUL, lr, upd)));
}

void cg_optim_scalars(const CgOptim *o, int64_t step, float lr, float scalars[3])
{
    scalars[0] = lr;
    scalars[1] = 1.0f;
    scalars[2] = 1.0f;
    if (o->kind != CG_SGD && step >= 1) {
        scalars[1] = (float)(1.0 / (1.0 - pow(o->beta1, (double)step)));
        scalars[2] = (float)(1.0 / sqrt(1.0 - pow(o->beta2, (double)step)));
    }
}
