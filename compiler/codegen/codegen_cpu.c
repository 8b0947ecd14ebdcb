/* codegen_cpu.c — CPU kernels: ORC LLJIT for the host CPU (its vector features), kernels
 * cached by spec within the process, and an IR/assembly dump for tests. */
#include "codegen_ir.h"
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct CacheEntry {
    uint64_t hash;
    CgSpec spec; /* compared in full: a hash collision must not return the wrong kernel */
    CgCpuFn fn;
} CacheEntry;

struct CgJit {
    pthread_mutex_t lock;
    LLVMOrcLLJITRef jit;
    int width;
    CacheEntry *cache;
    int ncache, capcache;
    CgJitStats stats;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int llvm_error(CgError *err, const char *what, LLVMErrorRef e)
{
    char *m = LLVMGetErrorMessage(e);
    cgir_fail(err, "codegen: %s: %s", what, m);
    LLVMDisposeErrorMessage(m);
    return -1;
}

/* Host target machine at -O3 with the host CPU's name and features (AVX2/AVX-512/FMA). */
static int host_machine(LLVMTargetMachineRef *tm, CgError *err)
{
    cgir_init_targets();
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
        cgir_fail(err, "codegen: no LLVM target for host %s: %s", triple, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        LLVMDisposeMessage(triple);
        return -1;
    }
    char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    *tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive, LLVMRelocDefault,
                                  LLVMCodeModelJITDefault);
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    if (!*tm) return cgir_fail(err, "codegen: cannot create the host target machine");
    return 0;
}

static int host_vector_width(void)
{
    char *f = LLVMGetHostCPUFeatures();
    int w = strstr(f, "+avx512f") ? 16 : strstr(f, "+avx") ? 8 : 4;
    LLVMDisposeMessage(f);
    return w;
}

/* Builds, verifies and optimizes `name` for the host into a fresh module of ctx. */
static int cpu_module(LLVMContextRef ctx, LLVMTargetMachineRef tm, const CgSpec *s, int width, const char *name,
                      LLVMModuleRef *out, CgError *err)
{
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(name, ctx);
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    char *layout = LLVMCopyStringRepOfTargetData(dl);
    LLVMSetTarget(mod, triple);
    LLVMSetDataLayout(mod, layout);
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(layout);
    LLVMDisposeTargetData(dl);
    if (cgir_build(mod, s, CG_TARGET_CPU, width, name, err) || cgir_optimize(mod, tm, err)) {
        LLVMDisposeModule(mod);
        return -1;
    }
    *out = mod;
    return 0;
}

int cg_jit_create(CgJit **out, CgError *err)
{
    *out = NULL;
    LLVMTargetMachineRef tm;
    if (host_machine(&tm, err)) return -1;
    CgJit *j = calloc(1, sizeof *j);
    if (!j) {
        LLVMDisposeTargetMachine(tm);
        return cgir_fail(err, "codegen: out of memory");
    }
    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    /* the JIT takes ownership of the machine builder and the target machine */
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm));
    LLVMErrorRef e = LLVMOrcCreateLLJIT(&j->jit, builder);
    if (e) {
        free(j);
        return llvm_error(err, "cannot create the ORC LLJIT", e);
    }
    pthread_mutex_init(&j->lock, NULL);
    j->width = host_vector_width();
    j->stats.vector_width = j->width;
    *out = j;
    return 0;
}

static int jit_compile(CgJit *j, const CgSpec *s, CgCpuFn *fn, CgError *err)
{
    double t0 = now_ms();
    LLVMTargetMachineRef tm;
    if (host_machine(&tm, err)) return -1;
    char name[32];
    snprintf(name, sizeof name, "nas_k%d", j->stats.compiled);
    LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
    LLVMModuleRef mod;
    int rc = cpu_module(LLVMOrcThreadSafeContextGetContext(tsc), tm, s, j->width, name, &mod, err);
    LLVMDisposeTargetMachine(tm);
    if (rc) {
        LLVMOrcDisposeThreadSafeContext(tsc);
        return -1;
    }
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(mod, tsc);
    LLVMOrcDisposeThreadSafeContext(tsc); /* the module keeps it alive */
    LLVMErrorRef e = LLVMOrcLLJITAddLLVMIRModule(j->jit, LLVMOrcLLJITGetMainJITDylib(j->jit), tsm);
    if (e) {
        LLVMOrcDisposeThreadSafeModule(tsm);
        return llvm_error(err, "cannot add the kernel to the JIT", e);
    }
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(j->jit, &addr, name);
    if (e) return llvm_error(err, "cannot compile the kernel", e);
    *fn = (CgCpuFn)(uintptr_t)addr;
    double ms = now_ms() - t0;
    j->stats.compiled++;
    j->stats.compile_ms_last = ms;
    j->stats.compile_ms_total += ms;
    return 0;
}

int cg_jit_get(CgJit *j, const CgSpec *s, CgCpuFn *fn, CgError *err)
{
    *fn = NULL;
    if (cg_spec_check(s, err)) return -1;
    uint64_t h = cg_spec_hash(s);
    pthread_mutex_lock(&j->lock);
    for (int i = 0; i < j->ncache; i++) {
        const CacheEntry *c = &j->cache[i];
        if (c->hash == h && c->spec.nops == s->nops && c->spec.kind == s->kind && c->spec.n == s->n &&
            c->spec.channels == s->channels && c->spec.inner == s->inner && c->spec.rows == s->rows &&
            c->spec.cols == s->cols && c->spec.nbufs == s->nbufs && c->spec.nscalars == s->nscalars &&
            memcmp(c->spec.ops, s->ops, sizeof s->ops[0] * (size_t)s->nops) == 0) {
            *fn = c->fn;
            j->stats.cache_hits++;
            pthread_mutex_unlock(&j->lock);
            return 0;
        }
    }
    int rc = -1;
    if (j->ncache == j->capcache) {
        int cap = j->capcache ? 2 * j->capcache : 16;
        CacheEntry *nc = realloc(j->cache, sizeof *nc * (size_t)cap);
        if (!nc) {
            cgir_fail(err, "codegen: out of memory");
            goto out;
        }
        j->cache = nc;
        j->capcache = cap;
    }
    if (jit_compile(j, s, fn, err)) goto out;
    j->cache[j->ncache++] = (CacheEntry){.hash = h, .spec = *s, .fn = *fn};
    rc = 0;
out:
    pthread_mutex_unlock(&j->lock);
    return rc;
}

void cg_jit_stats(CgJit *j, CgJitStats *st)
{
    pthread_mutex_lock(&j->lock);
    *st = j->stats;
    pthread_mutex_unlock(&j->lock);
}

int cg_jit_clear(CgJit *j, CgError *err)
{
    pthread_mutex_lock(&j->lock);
    /* symbols are named by the running count stats.compiled, so new kernels never reuse a name */
    LLVMErrorRef e = LLVMOrcJITDylibClear(LLVMOrcLLJITGetMainJITDylib(j->jit));
    j->ncache = 0;
    pthread_mutex_unlock(&j->lock);
    return e ? llvm_error(err, "cannot free the JIT's kernels", e) : 0;
}

void cg_jit_destroy(CgJit *j)
{
    if (!j) return;
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(j->jit);
    if (e) LLVMConsumeError(e);
    pthread_mutex_destroy(&j->lock);
    free(j->cache);
    free(j);
}

static char *dup_range(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = 0;
    }
    return s;
}

int cg_cpu_dump(const CgSpec *s, char **ir, char **asm_text, CgError *err)
{
    if (ir) *ir = NULL;
    if (asm_text) *asm_text = NULL;
    LLVMTargetMachineRef tm;
    if (host_machine(&tm, err)) return -1;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod;
    int rc = cpu_module(ctx, tm, s, host_vector_width(), "nas_kernel", &mod, err);
    if (rc == 0 && ir) {
        char *t = LLVMPrintModuleToString(mod);
        *ir = dup_range(t, strlen(t));
        LLVMDisposeMessage(t);
    }
    if (rc == 0 && asm_text) {
        char *msg = NULL;
        LLVMMemoryBufferRef mb;
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMAssemblyFile, &msg, &mb)) {
            rc = cgir_fail(err, "codegen: x86 code generation failed: %s", msg ? msg : "?");
            LLVMDisposeMessage(msg);
        } else {
            *asm_text = dup_range(LLVMGetBufferStart(mb), LLVMGetBufferSize(mb));
            LLVMDisposeMemoryBuffer(mb);
        }
    }
    if (rc == 0) LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    LLVMDisposeTargetMachine(tm);
    return rc;
}
