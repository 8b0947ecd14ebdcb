/* codegen_ir.c — builds LLVM IR for a kernel spec: explicit <W x float> loops for the CPU,
 * a grid-stride scalar loop for NVPTX; math (exp, log, tanh) as polynomials in IR so both
 * targets compute the same thing without libm or libdevice. */
#include "codegen_ir.h"
#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cgir_fail(CgError *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void init_targets_once(void)
{
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
}

void cgir_init_targets(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_targets_once);
}

typedef struct Ir {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMValueRef fn;
    LLVMBasicBlockRef entry;
    const CgSpec *s;
    CgTarget target;
    LLVMTypeRef f32, i32, i64;
    LLVMValueRef buf[CG_MAX_BUFS];     /* float* (int32* for xent labels) */
    LLVMValueRef scal[CG_MAX_SCALARS]; /* float values */
    LLVMValueRef acc[CG_MAX_OPS];      /* per CG_ACCUM op: scalar accumulator (alloca) */
    LLVMValueRef vacc[CG_MAX_OPS];     /* per CG_ACCUM op: vector accumulator (alloca) */
    /* channel of the current element run: slope 0: channel = ch;
     * slope 1 (inner == 1 on the CPU): channel = idx - ch, contiguous across lanes */
    LLVMValueRef ch;
    int ch_slope;
} Ir;

/* ---------- types and constants (w = lanes; 1 = scalar) ---------- */
static LLVMTypeRef fty(Ir *ir, int w) { return w == 1 ? ir->f32 : LLVMVectorType(ir->f32, (unsigned)w); }
static LLVMTypeRef ity(Ir *ir, int w) { return w == 1 ? ir->i32 : LLVMVectorType(ir->i32, (unsigned)w); }

static LLVMValueRef splat_const(LLVMValueRef c, int w)
{
    if (w == 1) return c;
    LLVMValueRef v[16];
    for (int i = 0; i < w; i++) v[i] = c;
    return LLVMConstVector(v, (unsigned)w);
}
static LLVMValueRef fc(Ir *ir, int w, double x) { return splat_const(LLVMConstReal(ir->f32, x), w); }
static LLVMValueRef ic(Ir *ir, int w, long long x)
{
    return splat_const(LLVMConstInt(ir->i32, (unsigned long long)x, 1), w);
}
static LLVMValueRef i64c(Ir *ir, long long x) { return LLVMConstInt(ir->i64, (unsigned long long)x, 1); }

static LLVMValueRef splat(Ir *ir, int w, LLVMValueRef x)
{
    if (w == 1) return x;
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(x), (unsigned)w);
    LLVMValueRef v = LLVMBuildInsertElement(ir->b, LLVMGetUndef(vt), x, LLVMConstInt(ir->i32, 0, 0), "");
    return LLVMBuildShuffleVector(ir->b, v, LLVMGetUndef(vt), LLVMConstNull(LLVMVectorType(ir->i32, (unsigned)w)), "");
}

/* ---------- arithmetic shorthands ---------- */
static LLVMValueRef add(Ir *ir, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFAdd(ir->b, a, b, ""); }
static LLVMValueRef sub(Ir *ir, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFSub(ir->b, a, b, ""); }
static LLVMValueRef mul(Ir *ir, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFMul(ir->b, a, b, ""); }
static LLVMValueRef fdiv(Ir *ir, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFDiv(ir->b, a, b, ""); }
static LLVMValueRef sel(Ir *ir, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(ir->b, c, a, b, "");
}
static LLVMValueRef fcmp(Ir *ir, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildFCmp(ir->b, p, a, b, "");
}

static LLVMValueRef intrinsic1(Ir *ir, const char *name, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(ir->mod, id, &t, 1);
    return LLVMBuildCall2(ir->b, LLVMIntrinsicGetType(ir->ctx, id, &t, 1), f, &x, 1, "");
}

/* Horner: c[0]*x^(n-1) + ... + c[n-1] */
static LLVMValueRef poly(Ir *ir, int w, LLVMValueRef x, const double *c, int n)
{
    LLVMValueRef y = fc(ir, w, c[0]);
    for (int i = 1; i < n; i++) y = add(ir, mul(ir, y, x), fc(ir, w, c[i]));
    return y;
}

/* 2^n for integer n in [-252, 256] as two exponent-field scalings (handles overflow to inf
 * and gradual underflow). */
static LLVMValueRef scale_pow2(Ir *ir, int w, LLVMValueRef y, LLVMValueRef n)
{
    LLVMValueRef n1 = LLVMBuildAShr(ir->b, n, ic(ir, w, 1), "");
    LLVMValueRef n2 = LLVMBuildSub(ir->b, n, n1, "");
    LLVMValueRef e[2] = {n1, n2};
    for (int k = 0; k < 2; k++) {
        LLVMValueRef bits = LLVMBuildShl(ir->b, LLVMBuildAdd(ir->b, e[k], ic(ir, w, 127), ""), ic(ir, w, 23), "");
        y = mul(ir, y, LLVMBuildBitCast(ir->b, bits, fty(ir, w), ""));
    }
    return y;
}

/* expf, Cephes: x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-6 polynomial; ~1 ulp. */
static LLVMValueRef m_exp(Ir *ir, int w, LLVMValueRef x)
{
    static const double P[] = {1.9875691500E-4, 1.3981999507E-3, 8.3334519073E-3,
                               4.1665795894E-2, 1.6666665459E-1, 5.0000001201E-1};
    LLVMValueRef lo = fc(ir, w, -104.0), hi = fc(ir, w, 88.72283935546875);
    LLVMValueRef xc = sel(ir, fcmp(ir, LLVMRealOLT, x, lo), lo, x);
    xc = sel(ir, fcmp(ir, LLVMRealOGT, xc, hi), hi, xc);
    LLVMValueRef fx =
        intrinsic1(ir, "llvm.floor", add(ir, mul(ir, xc, fc(ir, w, 1.44269504088896341)), fc(ir, w, 0.5)));
    LLVMValueRef r = sub(ir, xc, mul(ir, fx, fc(ir, w, 0.693359375)));
    r = sub(ir, r, mul(ir, fx, fc(ir, w, -2.12194440e-4)));
    LLVMValueRef z = mul(ir, r, r);
    LLVMValueRef y = add(ir, add(ir, mul(ir, poly(ir, w, r, P, 6), z), r), fc(ir, w, 1.0));
    y = scale_pow2(ir, w, y, LLVMBuildFPToSI(ir->b, fx, ity(ir, w), ""));
    y = sel(ir, fcmp(ir, LLVMRealOGT, x, fc(ir, w, 88.72283905206835)), fc(ir, w, INFINITY), y);
    return sel(ir, fcmp(ir, LLVMRealUNO, x, x), x, y);
}

/* logf, Cephes: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log(m) by a degree-9 polynomial. */
static LLVMValueRef m_log(Ir *ir, int w, LLVMValueRef x)
{
    static const double P[] = {7.0376836292E-2,  -1.1514610310E-1, 1.1676998740E-1,  -1.2420140846E-1, 1.4249322787E-1,
                               -1.6668057665E-1, 2.0000714765E-1,  -2.4999993993E-1, 3.3333331174E-1};
    LLVMValueRef den = fcmp(ir, LLVMRealOLT, x, fc(ir, w, 1.17549435e-38)); /* subnormal: scale up */
    LLVMValueRef xs = sel(ir, den, mul(ir, x, fc(ir, w, 8388608.0)), x);
    LLVMValueRef bits = LLVMBuildBitCast(ir->b, xs, ity(ir, w), "");
    LLVMValueRef e =
        LLVMBuildSub(ir->b, LLVMBuildAnd(ir->b, LLVMBuildLShr(ir->b, bits, ic(ir, w, 23), ""), ic(ir, w, 0xff), ""),
                     sel(ir, den, ic(ir, w, 126 + 23), ic(ir, w, 126)), "");
    LLVMValueRef m = LLVMBuildBitCast(
        ir->b, LLVMBuildOr(ir->b, LLVMBuildAnd(ir->b, bits, ic(ir, w, 0x807fffff), ""), ic(ir, w, 0x3f000000), ""),
        fty(ir, w), ""); /* m in [0.5, 1) */
    LLVMValueRef small = fcmp(ir, LLVMRealOLT, m, fc(ir, w, 0.707106781186547524));
    e = LLVMBuildSub(ir->b, e, LLVMBuildZExt(ir->b, small, ity(ir, w), ""), "");
    m = sel(ir, small, sub(ir, add(ir, m, m), fc(ir, w, 1.0)), sub(ir, m, fc(ir, w, 1.0)));
    LLVMValueRef z = mul(ir, m, m);
    LLVMValueRef y = mul(ir, mul(ir, poly(ir, w, m, P, 9), m), z);
    LLVMValueRef ef = LLVMBuildSIToFP(ir->b, e, fty(ir, w), "");
    y = add(ir, y, mul(ir, ef, fc(ir, w, -2.12194440e-4)));
    y = sub(ir, y, mul(ir, z, fc(ir, w, 0.5)));
    LLVMValueRef r = add(ir, add(ir, m, y), mul(ir, ef, fc(ir, w, 0.693359375)));
    r = sel(ir, fcmp(ir, LLVMRealOEQ, x, fc(ir, w, INFINITY)), x, r);
    r = sel(ir, fcmp(ir, LLVMRealOEQ, x, fc(ir, w, 0.0)), fc(ir, w, -INFINITY), r);
    return sel(ir, fcmp(ir, LLVMRealULT, x, fc(ir, w, 0.0)), fc(ir, w, NAN), r); /* NaN and x<0 */
}

/* tanhf, Cephes: odd polynomial for |x| <= 0.625, else 1 - 2/(exp(2|x|)+1) with the sign. */
static LLVMValueRef m_tanh(Ir *ir, int w, LLVMValueRef x)
{
    static const double P[] = {-5.70498872745E-3, 2.06390887954E-2, -5.37397155531E-2, 1.33314422036E-1,
                               -3.33332819422E-1};
    LLVMValueRef ax = intrinsic1(ir, "llvm.fabs", x);
    LLVMValueRef e = m_exp(ir, w, add(ir, ax, ax));
    LLVMValueRef big = sub(ir, fc(ir, w, 1.0), fdiv(ir, fc(ir, w, 2.0), add(ir, e, fc(ir, w, 1.0))));
    big = sel(ir, fcmp(ir, LLVMRealOLT, x, fc(ir, w, 0.0)), LLVMBuildFNeg(ir->b, big, ""), big);
    LLVMValueRef z = mul(ir, x, x);
    LLVMValueRef small = add(ir, mul(ir, mul(ir, poly(ir, w, z, P, 5), z), x), x);
    return sel(ir, fcmp(ir, LLVMRealOGT, ax, fc(ir, w, 0.625)), big, small);
}

static LLVMValueRef m_sigmoid(Ir *ir, int w, LLVMValueRef x)
{
    return fdiv(ir, fc(ir, w, 1.0), add(ir, fc(ir, w, 1.0), m_exp(ir, w, LLVMBuildFNeg(ir->b, x, ""))));
}

static const double GELU_K0 = 0.7978845608028654, GELU_K1 = 0.044715;

static LLVMValueRef gelu_tanh(Ir *ir, int w, LLVMValueRef x) /* tanh(k0 (x + k1 x^3)) */
{
    LLVMValueRef x3 = mul(ir, mul(ir, mul(ir, fc(ir, w, GELU_K1), x), x), x);
    return m_tanh(ir, w, mul(ir, fc(ir, w, GELU_K0), add(ir, x, x3)));
}

/* Lane-wise uniform [0,1) = cg_ref_rand(seed, stream, idx + lane). */
static LLVMValueRef m_mix32(Ir *ir, int w, LLVMValueRef x)
{
    static const long long M[2] = {0x7feb352d, 0x846ca68b};
    static const int S[3] = {16, 15, 16};
    for (int k = 0; k < 3; k++) {
        x = LLVMBuildXor(ir->b, x, LLVMBuildLShr(ir->b, x, ic(ir, w, S[k]), ""), "");
        if (k < 2) x = LLVMBuildMul(ir->b, x, ic(ir, w, M[k]), "");
    }
    return x;
}

static LLVMValueRef m_rand(Ir *ir, int w, LLVMValueRef idx, LLVMValueRef seed_f, int stream)
{
    LLVMValueRef i = splat(ir, w, idx);
    if (w > 1) {
        LLVMValueRef lanes[16];
        for (int k = 0; k < w; k++) lanes[k] = i64c(ir, k);
        i = LLVMBuildAdd(ir->b, i, LLVMConstVector(lanes, (unsigned)w), "");
    }
    LLVMValueRef lo = LLVMBuildTrunc(ir->b, i, ity(ir, w), "");
    LLVMValueRef hi = LLVMBuildTrunc(ir->b, LLVMBuildLShr(ir->b, i, splat_const(i64c(ir, 32), w), ""), ity(ir, w), "");
    LLVMValueRef seed = splat(ir, w, LLVMBuildBitCast(ir->b, seed_f, ir->i32, ""));
    LLVMValueRef key =
        m_mix32(ir, w, LLVMBuildAdd(ir->b, hi, ic(ir, w, (long long)((uint32_t)stream * 0x9e3779b9u)), ""));
    key = m_mix32(ir, w, LLVMBuildXor(ir->b, seed, key, ""));
    LLVMValueRef h = m_mix32(ir, w, LLVMBuildXor(ir->b, lo, key, ""));
    h = LLVMBuildLShr(ir->b, h, ic(ir, w, 8), "");
    return mul(ir, LLVMBuildSIToFP(ir->b, h, fty(ir, w), ""), fc(ir, w, 1.0 / 16777216.0));
}

/* ---------- memory ---------- */
static LLVMValueRef elem_ptr(Ir *ir, int w, LLVMValueRef base, LLVMValueRef idx)
{
    LLVMValueRef p = LLVMBuildGEP2(ir->b, ir->f32, base, &idx, 1, "");
    return w == 1 ? p : LLVMBuildBitCast(ir->b, p, LLVMPointerType(fty(ir, w), 0), "");
}

static LLVMValueRef load(Ir *ir, int w, LLVMValueRef base, LLVMValueRef idx)
{
    LLVMValueRef v = LLVMBuildLoad2(ir->b, fty(ir, w), elem_ptr(ir, w, base, idx), "");
    LLVMSetAlignment(v, 4);
    return v;
}

static void store(Ir *ir, int w, LLVMValueRef base, LLVMValueRef idx, LLVMValueRef v)
{
    LLVMSetAlignment(LLVMBuildStore(ir->b, v, elem_ptr(ir, w, base, idx)), 4);
}

static LLVMValueRef entry_alloca(Ir *ir, LLVMTypeRef t)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ir->ctx);
    LLVMValueRef first = LLVMGetFirstInstruction(ir->entry);
    if (first) LLVMPositionBuilderBefore(b, first);
    else LLVMPositionBuilderAtEnd(b, ir->entry);
    LLVMValueRef a = LLVMBuildAlloca(b, t, "");
    LLVMDisposeBuilder(b);
    return a;
}

/* ---------- one element (or W lanes starting at idx) ---------- */
static LLVMRealPredicate pred(CgCmp c)
{
    switch (c) {
    case CG_LT: return LLVMRealOLT;
    case CG_LE: return LLVMRealOLE;
    case CG_GT: return LLVMRealOGT;
    case CG_GE: return LLVMRealOGE;
    case CG_EQ: return LLVMRealOEQ;
    case CG_NE: return LLVMRealUNE;
    }
    return LLVMRealOLT;
}

static LLVMValueRef load_channel(Ir *ir, int w, LLVMValueRef base, LLVMValueRef idx)
{
    if (ir->ch_slope) return load(ir, w, base, LLVMBuildSub(ir->b, idx, ir->ch, ""));
    return splat(ir, w, load(ir, 1, base, ir->ch));
}

static void emit_elem(Ir *ir, int w, LLVMValueRef idx)
{
    const CgSpec *s = ir->s;
    LLVMValueRef v[CG_MAX_OPS];
    for (int k = 0; k < s->nops; k++) {
        const CgOp *o = &s->ops[k];
        LLVMValueRef a = o->a >= 0 ? v[o->a] : NULL, b = o->b >= 0 ? v[o->b] : NULL;
        LLVMValueRef r = NULL;
        switch (o->kind) {
        case CG_LOAD: r = load(ir, w, ir->buf[o->buf], idx); break;
        case CG_LOAD_CH: r = load_channel(ir, w, ir->buf[o->buf], idx); break;
        case CG_CONST: r = fc(ir, w, o->imm); break;
        case CG_SCALAR: r = splat(ir, w, ir->scal[o->buf]); break;
        case CG_RAND: r = m_rand(ir, w, idx, ir->scal[o->buf], (int)o->imm); break;
        case CG_ADD: r = add(ir, a, b); break;
        case CG_SUB: r = sub(ir, a, b); break;
        case CG_MUL: r = mul(ir, a, b); break;
        case CG_DIV: r = fdiv(ir, a, b); break;
        case CG_MAX: r = sel(ir, fcmp(ir, LLVMRealOGT, a, b), a, b); break;
        case CG_MIN: r = sel(ir, fcmp(ir, LLVMRealOLT, a, b), a, b); break;
        case CG_NEG: r = LLVMBuildFNeg(ir->b, a, ""); break;
        case CG_EXP: r = m_exp(ir, w, a); break;
        case CG_LOG: r = m_log(ir, w, a); break;
        case CG_SQRT: r = intrinsic1(ir, "llvm.sqrt", a); break;
        case CG_RSQRT: r = fdiv(ir, fc(ir, w, 1.0), intrinsic1(ir, "llvm.sqrt", a)); break;
        case CG_TANH: r = m_tanh(ir, w, a); break;
        case CG_SIGMOID: r = m_sigmoid(ir, w, a); break;
        case CG_RELU: r = sel(ir, fcmp(ir, LLVMRealOGT, a, fc(ir, w, 0)), a, fc(ir, w, 0)); break;
        case CG_RELU6:
            r = sel(ir, fcmp(ir, LLVMRealOLT, a, fc(ir, w, 6)), a, fc(ir, w, 6));
            r = sel(ir, fcmp(ir, LLVMRealOGT, a, fc(ir, w, 0)), r, fc(ir, w, 0));
            break;
        case CG_SWISH: r = mul(ir, a, m_sigmoid(ir, w, a)); break;
        case CG_SWISH_DX: { /* s (1 + x (1 - s)) */
            LLVMValueRef sg = m_sigmoid(ir, w, a);
            r = mul(ir, sg, add(ir, fc(ir, w, 1), mul(ir, a, sub(ir, fc(ir, w, 1), sg))));
            break;
        }
        case CG_GELU: r = mul(ir, mul(ir, fc(ir, w, 0.5), a), add(ir, fc(ir, w, 1), gelu_tanh(ir, w, a))); break;
        case CG_GELU_DX: { /* 0.5 (1+t) + 0.5 x (1-t^2) k0 (1 + 3 k1 x^2) */
            LLVMValueRef t = gelu_tanh(ir, w, a);
            LLVMValueRef d =
                mul(ir, mul(ir, mul(ir, fc(ir, w, 0.5), a), sub(ir, fc(ir, w, 1), mul(ir, t, t))), fc(ir, w, GELU_K0));
            d = mul(ir, d, add(ir, fc(ir, w, 1), mul(ir, mul(ir, fc(ir, w, 3 * GELU_K1), a), a)));
            r = add(ir, mul(ir, fc(ir, w, 0.5), add(ir, fc(ir, w, 1), t)), d);
            break;
        }
        case CG_FMA: r = add(ir, mul(ir, a, b), v[o->c]); break;
        case CG_SELECT: r = sel(ir, fcmp(ir, pred(o->cmp), a, b), v[o->c], v[o->d]); break;
        case CG_STORE: store(ir, w, ir->buf[o->buf], idx, a); break;
        case CG_ACCUM: {
            LLVMValueRef slot = w == 1 ? ir->acc[k] : ir->vacc[k];
            LLVMBuildStore(ir->b, add(ir, LLVMBuildLoad2(ir->b, fty(ir, w), slot, ""), a), slot);
            break;
        }
        }
        v[k] = r;
    }
}

/* ---------- loops over an i64 variable kept in an alloca (mem2reg makes phis) ---------- */
typedef struct Loop {
    LLVMBasicBlockRef head, body, exit;
    LLVMValueRef var, step, i;
} Loop;

/* while (var + need <= limit) { body; var += step }   step NULL: the body advances var. */
static LLVMValueRef loop_begin(Ir *ir, Loop *L, LLVMValueRef var, LLVMValueRef limit, int64_t need, LLVMValueRef step)
{
    L->head = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "head");
    L->body = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "body");
    L->exit = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "exit");
    L->var = var;
    L->step = step;
    LLVMBuildBr(ir->b, L->head);
    LLVMPositionBuilderAtEnd(ir->b, L->head);
    L->i = LLVMBuildLoad2(ir->b, ir->i64, var, "i");
    LLVMValueRef cond = LLVMBuildICmp(ir->b, LLVMIntSLE, LLVMBuildAdd(ir->b, L->i, i64c(ir, need), ""), limit, "");
    LLVMBuildCondBr(ir->b, cond, L->body, L->exit);
    LLVMPositionBuilderAtEnd(ir->b, L->body);
    return L->i;
}

static void loop_end(Ir *ir, Loop *L)
{
    if (L->step) LLVMBuildStore(ir->b, LLVMBuildAdd(ir->b, L->i, L->step, ""), L->var);
    LLVMBuildBr(ir->b, L->head);
    LLVMPositionBuilderAtEnd(ir->b, L->exit);
}

/* Elements [var, limit): W-lane strips, then the scalar tail; idx = base + var. */
static void emit_strips(Ir *ir, int w, LLVMValueRef var, LLVMValueRef limit, LLVMValueRef base)
{
    int widths[2] = {w, 1};
    for (int k = (w == 1); k < 2; k++) {
        Loop L;
        LLVMValueRef i = loop_begin(ir, &L, var, limit, widths[k], i64c(ir, widths[k]));
        emit_elem(ir, widths[k], base ? LLVMBuildAdd(ir->b, base, i, "") : i);
        loop_end(ir, &L);
    }
}

/* CPU map over [begin, end): segments in which the channel is constant (inner > 1) or
 * contiguous (inner == 1, a period of `channels` elements). */
static void cpu_map(Ir *ir, int w, LLVMValueRef begin, LLVMValueRef end)
{
    const CgSpec *s = ir->s;
    LLVMValueRef var = entry_alloca(ir, ir->i64);
    LLVMBuildStore(ir->b, begin, var);
    if (s->channels == 0) {
        emit_strips(ir, w, var, end, NULL);
        return;
    }
    Loop seg;
    LLVMValueRef i = loop_begin(ir, &seg, var, end, 1, NULL);
    int64_t seg_len = s->inner == 1 ? s->channels : s->inner;
    LLVMValueRef off = LLVMBuildSRem(ir->b, i, i64c(ir, seg_len), "");
    LLVMValueRef start = LLVMBuildSub(ir->b, i, off, "");
    LLVMValueRef seg_end = LLVMBuildAdd(ir->b, start, i64c(ir, seg_len), "");
    seg_end = LLVMBuildSelect(ir->b, LLVMBuildICmp(ir->b, LLVMIntSLT, seg_end, end, ""), seg_end, end, "");
    ir->ch_slope = s->inner == 1;
    ir->ch = ir->ch_slope
                 ? start
                 : LLVMBuildSRem(ir->b, LLVMBuildSDiv(ir->b, i, i64c(ir, seg_len), ""), i64c(ir, s->channels), "");
    emit_strips(ir, w, var, seg_end, NULL);
    loop_end(ir, &seg);
}

/* Channel sum over the elements of rows [n_lo, n_hi) of channel c (CPU: all rows; GPU: one),
 * then out[c] += total (atomically on the GPU, where rows of one channel run in parallel). */
static void channel_rows(Ir *ir, int w, LLVMValueRef c, LLVMValueRef n_lo, LLVMValueRef n_hi)
{
    const CgSpec *s = ir->s;
    for (int k = 0; k < s->nops; k++) {
        if (s->ops[k].kind != CG_ACCUM) continue;
        if (!ir->acc[k]) {
            ir->acc[k] = entry_alloca(ir, ir->f32);
            if (w > 1) ir->vacc[k] = entry_alloca(ir, fty(ir, w));
        }
        LLVMBuildStore(ir->b, fc(ir, 1, 0), ir->acc[k]);
        if (w > 1) LLVMBuildStore(ir->b, fc(ir, w, 0), ir->vacc[k]);
    }
    ir->ch = c;
    ir->ch_slope = 0;
    LLVMValueRef nvar = entry_alloca(ir, ir->i64), jvar = entry_alloca(ir, ir->i64);
    LLVMBuildStore(ir->b, n_lo, nvar);
    Loop L;
    LLVMValueRef n = loop_begin(ir, &L, nvar, n_hi, 1, i64c(ir, 1));
    LLVMValueRef base = LLVMBuildMul(
        ir->b, LLVMBuildAdd(ir->b, LLVMBuildMul(ir->b, n, i64c(ir, s->channels), ""), c, ""), i64c(ir, s->inner), "");
    LLVMBuildStore(ir->b, i64c(ir, 0), jvar);
    emit_strips(ir, w, jvar, i64c(ir, s->inner), base);
    loop_end(ir, &L);
    for (int k = 0; k < s->nops; k++) {
        if (s->ops[k].kind != CG_ACCUM) continue;
        LLVMValueRef total = LLVMBuildLoad2(ir->b, ir->f32, ir->acc[k], "");
        if (w > 1) {
            LLVMValueRef vv = LLVMBuildLoad2(ir->b, fty(ir, w), ir->vacc[k], "");
            for (int l = 0; l < w; l++)
                total = add(ir, total, LLVMBuildExtractElement(ir->b, vv, LLVMConstInt(ir->i32, (unsigned)l, 0), ""));
        }
        LLVMValueRef p = elem_ptr(ir, 1, ir->buf[s->ops[k].buf], c);
        if (ir->target == CG_TARGET_PTX)
            LLVMBuildAtomicRMW(ir->b, LLVMAtomicRMWBinOpFAdd, p, total, LLVMAtomicOrderingMonotonic, 0);
        else LLVMBuildStore(ir->b, add(ir, LLVMBuildLoad2(ir->b, ir->f32, p, ""), total), p);
    }
}

/* Row b of softmax cross-entropy against the label smoothed by eps = scalars[1] (scalar code;
 * rows are short): as codegen_ref.c's, loss = lse - (1 - eps) x[label] - eps / cols * sum x. */
static void xent_row(Ir *ir, LLVMValueRef b)
{
    const CgSpec *s = ir->s;
    LLVMValueRef cols = i64c(ir, s->cols);
    LLVMValueRef off = LLVMBuildMul(ir->b, b, cols, "");
    LLVMValueRef logits = LLVMBuildGEP2(ir->b, ir->f32, ir->buf[CG_XENT_LOGITS], &off, 1, "");
    LLVMValueRef mx = entry_alloca(ir, ir->f32), arg = entry_alloca(ir, ir->i64);
    LLVMValueRef sum = entry_alloca(ir, ir->f32), kvar = entry_alloca(ir, ir->i64);
    LLVMValueRef sumx = entry_alloca(ir, ir->f32);
    LLVMBuildStore(ir->b, fc(ir, 1, -INFINITY), mx);
    LLVMBuildStore(ir->b, i64c(ir, 0), arg);
    LLVMBuildStore(ir->b, fc(ir, 1, 0), sum);
    LLVMBuildStore(ir->b, fc(ir, 1, 0), sumx);
    Loop L;
    /* pass 1: max and first argmax */
    LLVMBuildStore(ir->b, i64c(ir, 0), kvar);
    LLVMValueRef k = loop_begin(ir, &L, kvar, cols, 1, i64c(ir, 1));
    LLVMValueRef x = load(ir, 1, logits, k), m = LLVMBuildLoad2(ir->b, ir->f32, mx, "");
    LLVMValueRef gt = fcmp(ir, LLVMRealOGT, x, m);
    LLVMBuildStore(ir->b, sel(ir, gt, x, m), mx);
    LLVMBuildStore(ir->b, sel(ir, gt, k, LLVMBuildLoad2(ir->b, ir->i64, arg, "")), arg);
    loop_end(ir, &L);
    LLVMValueRef vmax = LLVMBuildLoad2(ir->b, ir->f32, mx, "");
    /* pass 2: sum of exp, sum of the logits */
    LLVMBuildStore(ir->b, i64c(ir, 0), kvar);
    k = loop_begin(ir, &L, kvar, cols, 1, i64c(ir, 1));
    LLVMValueRef xk = load(ir, 1, logits, k);
    LLVMValueRef e = m_exp(ir, 1, sub(ir, xk, vmax));
    LLVMBuildStore(ir->b, add(ir, LLVMBuildLoad2(ir->b, ir->f32, sum, ""), e), sum);
    LLVMBuildStore(ir->b, add(ir, LLVMBuildLoad2(ir->b, ir->f32, sumx, ""), xk), sumx);
    loop_end(ir, &L);
    LLVMValueRef vsum = LLVMBuildLoad2(ir->b, ir->f32, sum, "");
    LLVMValueRef eps = ir->scal[1], keep = sub(ir, fc(ir, 1, 1), eps);
    LLVMValueRef spread = fdiv(ir, eps, fc(ir, 1, (double)s->cols));
    /* loss and correct */
    LLVMValueRef lp = LLVMBuildGEP2(ir->b, ir->i32, ir->buf[CG_XENT_LABELS], &b, 1, "");
    LLVMValueRef label = LLVMBuildSExt(ir->b, LLVMBuildLoad2(ir->b, ir->i32, lp, ""), ir->i64, "");
    LLVMValueRef valid = LLVMBuildICmp(ir->b, LLVMIntULT, label, cols, "");
    LLVMValueRef xl = load(ir, 1, logits, LLVMBuildSelect(ir->b, valid, label, i64c(ir, 0), ""));
    LLVMValueRef loss = sub(ir, sub(ir, add(ir, m_log(ir, 1, vsum), vmax), mul(ir, keep, xl)),
                            mul(ir, spread, LLVMBuildLoad2(ir->b, ir->f32, sumx, "")));
    store(ir, 1, ir->buf[CG_XENT_LOSS], b, sel(ir, valid, loss, fc(ir, 1, NAN)));
    LLVMValueRef hit = LLVMBuildAnd(
        ir->b, valid, LLVMBuildICmp(ir->b, LLVMIntEQ, LLVMBuildLoad2(ir->b, ir->i64, arg, ""), label, ""), "");
    store(ir, 1, ir->buf[CG_XENT_CORRECT], b, sel(ir, hit, fc(ir, 1, 1), fc(ir, 1, 0)));
    /* pass 3: dlogits, when the buffer is given */
    LLVMBasicBlockRef grad = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "grad");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "done");
    LLVMValueRef dbuf = ir->buf[CG_XENT_DLOGITS];
    LLVMBuildCondBr(ir->b, LLVMBuildIsNotNull(ir->b, dbuf, ""), grad, done);
    LLVMPositionBuilderAtEnd(ir->b, grad);
    LLVMValueRef inv = fdiv(ir, fc(ir, 1, 1), vsum);
    LLVMValueRef drow = LLVMBuildGEP2(ir->b, ir->f32, dbuf, &off, 1, "");
    LLVMBuildStore(ir->b, i64c(ir, 0), kvar);
    k = loop_begin(ir, &L, kvar, cols, 1, i64c(ir, 1));
    LLVMValueRef p = mul(ir, m_exp(ir, 1, sub(ir, load(ir, 1, logits, k), vmax)), inv);
    LLVMValueRef target = add(ir, sel(ir, LLVMBuildICmp(ir->b, LLVMIntEQ, k, label, ""), keep, fc(ir, 1, 0)), spread);
    LLVMValueRef g = mul(ir, sub(ir, p, target), ir->scal[0]);
    store(ir, 1, drow, k, sel(ir, valid, g, fc(ir, 1, 0)));
    loop_end(ir, &L);
    LLVMBuildBr(ir->b, done);
    LLVMPositionBuilderAtEnd(ir->b, done);
}

/* One domain item on the GPU (element, row of a channel, or softmax row). */
static void gpu_item(Ir *ir, LLVMValueRef i)
{
    const CgSpec *s = ir->s;
    if (s->kind == CG_SOFTMAX_XENT) {
        xent_row(ir, i);
        return;
    }
    if (s->kind == CG_CHANNEL_SUM) {
        LLVMValueRef c = LLVMBuildSRem(ir->b, i, i64c(ir, s->channels), "");
        LLVMValueRef n = LLVMBuildSDiv(ir->b, i, i64c(ir, s->channels), "");
        channel_rows(ir, 1, c, n, LLVMBuildAdd(ir->b, n, i64c(ir, 1), ""));
        return;
    }
    if (s->channels > 0) {
        ir->ch_slope = 0;
        ir->ch = LLVMBuildSRem(ir->b, LLVMBuildSDiv(ir->b, i, i64c(ir, s->inner), ""), i64c(ir, s->channels), "");
    }
    emit_elem(ir, 1, i);
}

static LLVMValueRef sreg(Ir *ir, const char *name)
{
    LLVMValueRef f = LLVMGetNamedFunction(ir->mod, name);
    LLVMTypeRef ft = LLVMFunctionType(ir->i32, NULL, 0, 0);
    if (!f) f = LLVMAddFunction(ir->mod, name, ft);
    return LLVMBuildZExt(ir->b, LLVMBuildCall2(ir->b, ft, f, NULL, 0, ""), ir->i64, "");
}

static void build_gpu(Ir *ir, const char *name)
{
    const CgSpec *s = ir->s;
    LLVMTypeRef params[CG_MAX_BUFS + CG_MAX_SCALARS];
    int np = 0;
    for (int k = 0; k < s->nbufs; k++)
        params[np++] = LLVMPointerType(s->kind == CG_SOFTMAX_XENT && k == CG_XENT_LABELS ? ir->i32 : ir->f32, 0);
    for (int k = 0; k < s->nscalars; k++) params[np++] = ir->f32;
    ir->fn = LLVMAddFunction(ir->mod, name, LLVMFunctionType(LLVMVoidTypeInContext(ir->ctx), params, (unsigned)np, 0));
    for (int k = 0; k < s->nbufs; k++) ir->buf[k] = LLVMGetParam(ir->fn, (unsigned)k);
    for (int k = 0; k < s->nscalars; k++) ir->scal[k] = LLVMGetParam(ir->fn, (unsigned)(s->nbufs + k));
    ir->entry = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "entry");
    LLVMPositionBuilderAtEnd(ir->b, ir->entry);
    LLVMValueRef tid = sreg(ir, "llvm.nvvm.read.ptx.sreg.tid.x");
    LLVMValueRef ntid = sreg(ir, "llvm.nvvm.read.ptx.sreg.ntid.x");
    LLVMValueRef ctaid = sreg(ir, "llvm.nvvm.read.ptx.sreg.ctaid.x");
    LLVMValueRef nctaid = sreg(ir, "llvm.nvvm.read.ptx.sreg.nctaid.x");
    LLVMValueRef var = entry_alloca(ir, ir->i64);
    LLVMBuildStore(ir->b, LLVMBuildAdd(ir->b, LLVMBuildMul(ir->b, ctaid, ntid, ""), tid, ""), var);
    Loop L;
    LLVMValueRef i =
        loop_begin(ir, &L, var, i64c(ir, cg_spec_domain(s, CG_TARGET_PTX)), 1, LLVMBuildMul(ir->b, nctaid, ntid, ""));
    gpu_item(ir, i);
    loop_end(ir, &L);
    LLVMBuildRetVoid(ir->b);
    /* !nvvm.annotations = !{ !{ void (...)* @name, !"kernel", i32 1 } } */
    LLVMValueRef md[3] = {ir->fn, LLVMMDStringInContext(ir->ctx, "kernel", 6), LLVMConstInt(ir->i32, 1, 0)};
    LLVMAddNamedMetadataOperand(ir->mod, "nvvm.annotations", LLVMMDNodeInContext(ir->ctx, md, 3));
}

/* void name(void *const *bufs, int64_t begin, int64_t end, const float *scalars) */
static void build_cpu(Ir *ir, int w, const char *name)
{
    const CgSpec *s = ir->s;
    LLVMTypeRef i8p = LLVMPointerType(LLVMInt8TypeInContext(ir->ctx), 0);
    LLVMTypeRef params[4] = {LLVMPointerType(i8p, 0), ir->i64, ir->i64, LLVMPointerType(ir->f32, 0)};
    ir->fn = LLVMAddFunction(ir->mod, name, LLVMFunctionType(LLVMVoidTypeInContext(ir->ctx), params, 4, 0));
    ir->entry = LLVMAppendBasicBlockInContext(ir->ctx, ir->fn, "entry");
    LLVMPositionBuilderAtEnd(ir->b, ir->entry);
    LLVMValueRef bufs = LLVMGetParam(ir->fn, 0), begin = LLVMGetParam(ir->fn, 1);
    LLVMValueRef end = LLVMGetParam(ir->fn, 2), scalars = LLVMGetParam(ir->fn, 3);
    for (int k = 0; k < s->nbufs; k++) {
        LLVMValueRef idx = i64c(ir, k);
        LLVMValueRef p = LLVMBuildLoad2(ir->b, i8p, LLVMBuildGEP2(ir->b, i8p, bufs, &idx, 1, ""), "");
        LLVMTypeRef et = s->kind == CG_SOFTMAX_XENT && k == CG_XENT_LABELS ? ir->i32 : ir->f32;
        ir->buf[k] = LLVMBuildBitCast(ir->b, p, LLVMPointerType(et, 0), "");
    }
    for (int k = 0; k < s->nscalars; k++) {
        LLVMValueRef idx = i64c(ir, k);
        ir->scal[k] = LLVMBuildLoad2(ir->b, ir->f32, LLVMBuildGEP2(ir->b, ir->f32, scalars, &idx, 1, ""), "");
    }
    if (s->kind == CG_MAP) {
        cpu_map(ir, w, begin, end);
    } else {
        LLVMValueRef var = entry_alloca(ir, ir->i64);
        LLVMBuildStore(ir->b, begin, var);
        Loop L;
        LLVMValueRef i = loop_begin(ir, &L, var, end, 1, i64c(ir, 1));
        if (s->kind == CG_SOFTMAX_XENT) xent_row(ir, i);
        else channel_rows(ir, w, i, i64c(ir, 0), i64c(ir, s->n / (s->channels * s->inner)));
        loop_end(ir, &L);
    }
    LLVMBuildRetVoid(ir->b);
}

int cgir_build(LLVMModuleRef mod, const CgSpec *s, CgTarget t, int width, const char *name, CgError *err)
{
    if (cg_spec_check(s, err)) return -1;
    if (width != 1 && width != 4 && width != 8 && width != 16)
        return cgir_fail(err, "codegen: vector width %d not supported", width);
    Ir ir;
    memset(&ir, 0, sizeof ir);
    ir.ctx = LLVMGetModuleContext(mod);
    ir.mod = mod;
    ir.s = s;
    ir.target = t;
    ir.f32 = LLVMFloatTypeInContext(ir.ctx);
    ir.i32 = LLVMInt32TypeInContext(ir.ctx);
    ir.i64 = LLVMInt64TypeInContext(ir.ctx);
    ir.b = LLVMCreateBuilderInContext(ir.ctx);
    if (t == CG_TARGET_PTX) build_gpu(&ir, name);
    else build_cpu(&ir, width, name);
    LLVMDisposeBuilder(ir.b);
    return 0;
}

int cgir_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, CgError *err)
{
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        cgir_fail(err, "codegen: LLVM verifier rejected the kernel: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMDisposeMessage(msg);
    /* The new pass manager's O3 pipeline (LLVM 13 and later; the legacy builder is gone after 16). */
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
    LLVMErrorRef e = LLVMRunPasses(mod, "default<O3>", tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (e) {
        char *m = LLVMGetErrorMessage(e);
        cgir_fail(err, "codegen: LLVM passes failed: %s", m);
        LLVMDisposeErrorMessage(m);
        return -1;
    }
    return 0;
}
