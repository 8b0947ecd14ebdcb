/* codegen_cases.h — every kernel pattern the runtime needs, as CgSpecs (shared by the unit
 * test, which runs them against the C reference, and the ptxas test, which compiles them). */
#ifndef NAS_CODEGEN_CASES_H
#define NAS_CODEGEN_CASES_H
#include "codegen.h"

typedef struct CgCase {
    char name[48];
    CgSpec spec;
    float lo, hi;      /* input range of the float buffers */
    double rtol, atol; /* |jit - ref| <= atol + rtol * |ref| */
    int nout;          /* output slots: outs[0..nout) (all other slots are inputs) */
    int outs[4];
    unsigned abs_slots; /* bit k: slot k holds |random| (e.g. Adam's second moment) */
} CgCase;

/* Fills cases[] (up to max) for an NCHW shape [outer, channels, inner]; returns the count. */
int codegen_cases(CgCase *cases, int max, int64_t outer, int64_t channels, int64_t inner);
#endif
