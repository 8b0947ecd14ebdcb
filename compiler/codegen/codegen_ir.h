/* codegen_ir.h — internal to codegen: the one LLVM IR builder both targets share, and the
 * verify + optimize pipeline (legacy PassManagerBuilder: LLVM 14's C API has no new-PM entry). */
#ifndef NAS_CODEGEN_IR_H
#define NAS_CODEGEN_IR_H
#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>
#include "codegen.h"

/* Adds kernel `name` for target t to mod (the spec must pass cg_spec_check).
 * width: floats per vector of the CPU main loops (1, 4, 8, 16); ignored for PTX. */
int cgir_build(LLVMModuleRef mod, const CgSpec *s, CgTarget t, int width, const char *name, CgError *err);
/* Verifies mod, then runs the O3 module pipeline with tm's cost model (tm may be NULL). */
int cgir_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, CgError *err);
int cgir_fail(CgError *err, const char *fmt, ...);
/* Initializes the native and NVPTX LLVM targets once (thread-safe). */
void cgir_init_targets(void);
#endif
