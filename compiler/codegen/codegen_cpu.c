/* codegen_cpu.c — CPU kernels: ORC LLJIT for the host CPU (its vector features), kernels
 * cached by spec within the process and, with a cache directory, across processes as object
 * files; and an IR/assembly dump for tests. */
#include "codegen_ir.h"
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Core.h>
#include <llvm/Config/llvm-config.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    char *cache_dir;   /* object files by spec (cg_jit_set_cache_dir), NULL: none */
    uint64_t host_key; /* CPU name, features, LLVM version: part of every cache file's name */
    int cleared;       /* cg_jit_clear ran: names from the cache's files could repeat, so no more loads */
};

/* The header of a cache file; the object file follows. */
typedef struct CacheHeader {
    char magic[8];
    CgSpec spec;
    char name[40];
    uint64_t size, sum; /* the object file's bytes and their FNV-1a hash */
} CacheHeader;
static const char CACHE_MAGIC[8] = "NASKOBJ1";
#define FNV_OFFSET 1469598103934665603ull

static bool spec_equal(const CgSpec *a, const CgSpec *b)
{
    return a->nops == b->nops && a->kind == b->kind && a->n == b->n && a->channels == b->channels &&
           a->inner == b->inner && a->rows == b->rows && a->cols == b->cols && a->nbufs == b->nbufs &&
           a->nscalars == b->nscalars && memcmp(a->ops, b->ops, sizeof a->ops[0] * (size_t)a->nops) == 0;
}

static uint64_t fnv_bytes(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static uint64_t fnv(uint64_t h, const char *s) { return fnv_bytes(h, s, strlen(s)); }

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
    char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    char ver[64];
    snprintf(ver, sizeof ver, "llvm %s spec %zu", LLVM_VERSION_STRING, sizeof(CgSpec));
    j->host_key = fnv(fnv(fnv(FNV_OFFSET, cpu), features), ver);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    j->width = host_vector_width();
    j->stats.vector_width = j->width;
    *out = j;
    return 0;
}

/* Adds object file `obj` to the JIT and looks up its kernel `name`. */
static int add_object(CgJit *j, const char *obj, size_t len, const char *name, CgCpuFn *fn, CgError *err)
{
    LLVMMemoryBufferRef mb = LLVMCreateMemoryBufferWithMemoryRangeCopy(obj, len, name);
    LLVMErrorRef e = LLVMOrcLLJITAddObjectFile(j->jit, LLVMOrcLLJITGetMainJITDylib(j->jit), mb); /* takes mb */
    if (e) return llvm_error(err, "cannot add the kernel to the JIT", e);
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(j->jit, &addr, name);
    if (e) return llvm_error(err, "cannot link the kernel", e);
    *fn = (CgCpuFn)(uintptr_t)addr;
    return 0;
}

static void cache_path(const CgJit *j, uint64_t h, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%016llx-%016llx.o", j->cache_dir, (unsigned long long)j->host_key, (unsigned long long)h);
}

/* The kernel of s from the cache directory: 0, or -1 when there is none that matches and loads. */
static int cache_load(CgJit *j, const CgSpec *s, uint64_t h, CgCpuFn *fn)
{
    char path[4200];
    cache_path(j, h, path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    CacheHeader hd;
    char *obj = NULL;
    int rc = -1;
    if (fread(&hd, sizeof hd, 1, f) == 1 && !memcmp(hd.magic, CACHE_MAGIC, 8) && spec_equal(&hd.spec, s) &&
        hd.size > 0 && hd.size < (1u << 30) && memchr(hd.name, 0, sizeof hd.name) && (obj = malloc(hd.size)) &&
        fread(obj, 1, hd.size, f) == hd.size && fnv_bytes(FNV_OFFSET, obj, hd.size) == hd.sum) {
        CgError e;
        rc = add_object(j, obj, hd.size, hd.name, fn, &e);
    }
    free(obj);
    fclose(f);
    return rc;
}

/* Writes the kernel's object file to the cache directory, whole or not at all (a rename). A
 * failure costs the next process a compile, nothing else. */
static void cache_store(CgJit *j, const CgSpec *s, uint64_t h, const char *name, const char *obj, size_t len)
{
    char path[4200], tmp[4300];
    cache_path(j, h, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    CacheHeader hd;
    memset(&hd, 0, sizeof hd);
    memcpy(hd.magic, CACHE_MAGIC, 8);
    hd.spec = *s;
    snprintf(hd.name, sizeof hd.name, "%s", name);
    hd.size = len;
    hd.sum = fnv_bytes(FNV_OFFSET, obj, len);
    FILE *f = fopen(tmp, "wb");
    if (!f) return;
    bool ok = fwrite(&hd, sizeof hd, 1, f) == 1 && fwrite(obj, 1, len, f) == len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) unlink(tmp);
}

/* Generates the kernel: IR, optimized, native code (as an object file when it is to be cached). */
static int jit_compile(CgJit *j, const CgSpec *s, uint64_t h, CgCpuFn *fn, CgError *err)
{
    LLVMTargetMachineRef tm;
    if (host_machine(&tm, err)) return -1;
    /* a cached kernel is named by its spec: another process's file must not clash with this
     * one's names; without a cache, by the running count */
    bool cached = j->cache_dir && !j->cleared;
    char name[40];
    if (cached) snprintf(name, sizeof name, "nas_h%016llx", (unsigned long long)h);
    else snprintf(name, sizeof name, "nas_k%d", j->stats.compiled);
    LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
    LLVMModuleRef mod;
    int rc = cpu_module(LLVMOrcThreadSafeContextGetContext(tsc), tm, s, j->width, name, &mod, err);
    if (rc) {
        LLVMDisposeTargetMachine(tm);
        LLVMOrcDisposeThreadSafeContext(tsc);
        return -1;
    }
    if (cached) {
        char *msg = NULL;
        LLVMMemoryBufferRef mb;
        rc = LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &mb);
        LLVMDisposeTargetMachine(tm);
        LLVMDisposeModule(mod);
        LLVMOrcDisposeThreadSafeContext(tsc);
        if (rc) {
            cgir_fail(err, "codegen: x86 code generation failed: %s", msg ? msg : "?");
            LLVMDisposeMessage(msg);
            return -1;
        }
        const char *obj = LLVMGetBufferStart(mb);
        size_t len = LLVMGetBufferSize(mb);
        rc = add_object(j, obj, len, name, fn, err);
        if (rc == 0) cache_store(j, s, h, name, obj, len);
        LLVMDisposeMemoryBuffer(mb);
        return rc;
    }
    LLVMDisposeTargetMachine(tm);
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
    return 0;
}

/* The kernel of s, loaded from the cache directory or generated; its time is JIT time. */
static int jit_obtain(CgJit *j, const CgSpec *s, uint64_t h, CgCpuFn *fn, CgError *err)
{
    double t0 = now_ms();
    bool loaded = j->cache_dir && !j->cleared && cache_load(j, s, h, fn) == 0;
    if (!loaded && jit_compile(j, s, h, fn, err)) return -1;
    double ms = now_ms() - t0;
    j->stats.compiled++;
    j->stats.loaded += loaded;
    j->stats.compile_ms_last = ms;
    j->stats.compile_ms_total += ms;
    return 0;
}

void cg_jit_set_cache_dir(CgJit *j, const char *dir)
{
    pthread_mutex_lock(&j->lock);
    free(j->cache_dir);
    j->cache_dir = NULL;
    if (dir && (mkdir(dir, 0777) == 0 || errno == EEXIST)) j->cache_dir = strdup(dir);
    pthread_mutex_unlock(&j->lock);
}

int cg_jit_get(CgJit *j, const CgSpec *s, CgCpuFn *fn, CgError *err)
{
    *fn = NULL;
    if (cg_spec_check(s, err)) return -1;
    uint64_t h = cg_spec_hash(s);
    pthread_mutex_lock(&j->lock);
    for (int i = 0; i < j->ncache; i++) {
        const CacheEntry *c = &j->cache[i];
        if (c->hash == h && spec_equal(&c->spec, s)) {
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
    /* two specs of one hash in one process would give two kernels one name: the second is
     * compiled under the running count, never cached */
    bool clash = false;
    for (int i = 0; i < j->ncache; i++) clash |= j->cache[i].hash == h;
    char *dir = j->cache_dir;
    if (clash) j->cache_dir = NULL;
    rc = jit_obtain(j, s, h, fn, err);
    j->cache_dir = dir;
    if (rc) {
        rc = -1;
        goto out;
    }
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
    /* symbols are named by the running count stats.compiled, so new kernels never reuse a name;
     * cached ones by their spec, so loads and cached compiles stop here */
    LLVMErrorRef e = LLVMOrcJITDylibClear(LLVMOrcLLJITGetMainJITDylib(j->jit));
    j->ncache = 0;
    j->cleared = 1;
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
    free(j->cache_dir);
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
