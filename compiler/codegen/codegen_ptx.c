/* codegen_ptx.c — GPU kernels: the shared IR builder with the NVPTX target, emitted as PTX.
 * LLVM 14 knows sm_80 (PTX ISA 7.0) but not sm_90, which needs PTX ISA 7.8: for sm_90 the
 * sm_80 code is emitted and its header retargeted (`.version 7.8`, `.target sm_90`); the
 * instructions LLVM 14 emits are all valid in ISA 7.8 on sm_90, and ptxas checks it (tests). */
#include "codegen_ir.h"
#include <llvm-c/Target.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replaces the first line starting with `key` by `line` (both without newline). */
static int replace_directive(char **text, const char *key, const char *line)
{
    char *t = *text, *p = t;
    size_t klen = strlen(key);
    while (p && strncmp(p, key, klen) != 0) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p) return -1;
    char *eol = strchr(p, '\n');
    size_t tail = eol ? strlen(eol) : 0, head = (size_t)(p - t), nl = strlen(line);
    char *out = malloc(head + nl + tail + 1);
    if (!out) return -1;
    memcpy(out, t, head);
    memcpy(out + head, line, nl);
    memcpy(out + head + nl, eol ? eol : "", tail + 1);
    free(t);
    *text = out;
    return 0;
}

int cg_ptx_emit(const CgSpec *s, int sm, const char *name, char **ptx, CgError *err)
{
    *ptx = NULL;
    if (sm != 80 && sm != 90) return cgir_fail(err, "codegen: PTX target sm_%d not supported (80 or 90)", sm);
    if (!name || !*name) return cgir_fail(err, "codegen: PTX kernel needs a name");
    for (const char *c = name; *c; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (c > name && *c >= '0' && *c <= '9')))
            return cgir_fail(err, "codegen: PTX kernel name '%s' is not an identifier", name);
    cgir_init_targets();
    const char *triple = "nvptx64-nvidia-cuda";
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
        cgir_fail(err, "codegen: LLVM has no NVPTX target: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, triple, "sm_80", "+ptx70", LLVMCodeGenLevelAggressive,
                                                      LLVMRelocDefault, LLVMCodeModelDefault);
    if (!tm) return cgir_fail(err, "codegen: cannot create the NVPTX target machine");
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(name, ctx);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    char *layout = LLVMCopyStringRepOfTargetData(dl);
    LLVMSetTarget(mod, triple);
    LLVMSetDataLayout(mod, layout);
    LLVMDisposeMessage(layout);
    LLVMDisposeTargetData(dl);
    int rc = cgir_build(mod, s, CG_TARGET_PTX, 1, name, err);
    if (rc == 0) rc = cgir_optimize(mod, tm, err);
    LLVMMemoryBufferRef mb = NULL;
    if (rc == 0 && LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMAssemblyFile, &msg, &mb)) {
        rc = cgir_fail(err, "codegen: PTX emission failed: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
    }
    if (rc == 0) {
        size_t n = LLVMGetBufferSize(mb);
        *ptx = malloc(n + 1);
        if (!*ptx) rc = cgir_fail(err, "codegen: out of memory");
        else {
            memcpy(*ptx, LLVMGetBufferStart(mb), n);
            (*ptx)[n] = 0;
        }
        LLVMDisposeMemoryBuffer(mb);
    }
    if (rc == 0 && sm == 90 &&
        (replace_directive(ptx, ".version", ".version 7.8") || replace_directive(ptx, ".target", ".target sm_90"))) {
        free(*ptx);
        *ptx = NULL;
        rc = cgir_fail(err, "codegen: unexpected PTX header from LLVM (no .version/.target line)");
    }
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    LLVMDisposeTargetMachine(tm);
    return rc;
}
