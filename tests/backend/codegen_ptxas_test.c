/* codegen_ptxas_test.c — PTX for every kernel pattern (tests/unit/codegen_cases.c) at sm_80
 * and sm_90, each checked by NVIDIA's ptxas: the GPU code path is validated without a GPU.
 * usage: codegen_ptxas_test PTXAS WORKDIR */
#include "codegen.h"
#include "codegen_cases.h"
#include "train.h"
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;

static int run_ptxas(const char *ptxas, int sm, const char *path)
{
    char arch[32];
    snprintf(arch, sizeof arch, "-arch=sm_%d", sm);
    char *argv[] = {(char *)ptxas, arch, "--warning-as-error", (char *)path, "-o", "/dev/null", NULL};
    pid_t pid;
    if (posix_spawn(&pid, ptxas, NULL, NULL, argv, environ) != 0) return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void check_case(const char *ptxas, const char *dir, const CgCase *c, int sm, int shape)
{
    char name[64], path[512];
    snprintf(name, sizeof name, "%s_s%d", c->name, shape);
    snprintf(path, sizeof path, "%s/%s_sm%d.ptx", dir, name, sm);
    CgError err;
    char *ptx;
    if (cg_ptx_emit(&c->spec, sm, name, &ptx, &err)) {
        failures++;
        fprintf(stderr, "FAIL %s sm_%d: %s\n", name, sm, err.msg);
        return;
    }
    char entry[80], target[32];
    snprintf(entry, sizeof entry, ".entry %s(", name);
    snprintf(target, sizeof target, ".target sm_%d", sm);
    int has_mem = strstr(ptx, "st.global") || strstr(ptx, "atom.global") || strstr(ptx, "red.global");
    int wants_atomic = c->spec.kind == CG_CHANNEL_SUM;
    if (!strstr(ptx, entry) || !strstr(ptx, target) || !strstr(ptx, "%ctaid.x") || !has_mem ||
        (wants_atomic && !strstr(ptx, "add.f32")) ||
        (wants_atomic && !strstr(ptx, "atom.global") && !strstr(ptx, "red.global"))) {
        failures++;
        fprintf(stderr, "FAIL %s sm_%d: PTX lacks the entry, target, block index, global memory or atomics\n", name,
                sm);
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        failures++;
        fprintf(stderr, "FAIL cannot write %s\n", path);
        free(ptx);
        return;
    }
    fputs(ptx, f);
    fclose(f);
    free(ptx);
    int rc = run_ptxas(ptxas, sm, path);
    if (rc != 0) {
        failures++;
        fprintf(stderr, "FAIL ptxas -arch=sm_%d %s: exit %d\n", sm, path, rc);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || access(argv[1], X_OK) != 0) {
        fprintf(stderr,
                "FAIL: ptxas not found (%s). Install the CUDA toolkit (ptxas in /usr/local/cuda/bin or "
                "on PATH, e.g. Debian package nvidia-cuda-toolkit) and re-run cmake.\n",
                argc > 1 ? argv[1] : "no path");
        return 1;
    }
    mkdir(argv[2], 0777);
    /* one NCHW shape: the GPU code differs between shapes only in constants */
    static const int64_t shapes[][3] = {{4, 16, 49}};
    static CgCase cases[128];
    int total = 0;
    for (int sh = 0; sh < (int)(sizeof shapes / sizeof shapes[0]); sh++) {
        int n = codegen_cases(cases, 128, shapes[sh][0], shapes[sh][1], shapes[sh][2]);
        for (int i = 0; i < n; i++)
            for (int sm = 80; sm <= 90; sm += 10, total++) check_case(argv[1], argv[2], &cases[i], sm, sh);
    }
    /* the optimizer's gradient norm, gradient scaling and finite check (runtime/train/optim.c) */
    CgCase aux[3] = {{.name = "optim_sumsq"}, {.name = "optim_scale"}, {.name = "optim_nonfinite"}};
    optim_aux_specs(400037, &aux[0].spec, &aux[1].spec, &aux[2].spec);
    for (int i = 0; i < 3; i++)
        for (int sm = 80; sm <= 90; sm += 10, total++) check_case(argv[1], argv[2], &aux[i], sm, 0);
    /* the finite check relies on x*0 staying a multiplication (NaN for NaN/Inf): no folding */
    char *ptx = NULL;
    CgError err;
    if (cg_ptx_emit(&aux[2].spec, 80, "nonfinite", &ptx, &err) || !strstr(ptx, "mul.rn.f32") ||
        !strstr(ptx, "0f00000000")) {
        failures++;
        fprintf(stderr, "FAIL optim_nonfinite: x*0 is not a mul.rn.f32 by 0 in the PTX\n");
    }
    free(ptx);
    if (failures) {
        fprintf(stderr, "%d of %d PTX modules failed\n", failures, total);
        return 1;
    }
    printf("codegen_ptxas_test: %d PTX modules (sm_80, sm_90) accepted by %s\n", total, argv[1]);
    return 0;
}
