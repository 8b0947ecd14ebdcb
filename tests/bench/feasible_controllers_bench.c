/* feasible_controllers_bench.c — how many of each controller's proposals break a file's hard
 * constraints (compiler/model/feasible.c), without and with the feasibility test the
 * controllers' moves use (space_feasible). "without": the feasible sampler alone (every
 * random draw feasible, mutations and model proposals unchecked: the state before the
 * test); "with": the sampler and the test (feasible_install). Each controller gets ASKS
 * proposals, each told at once with reward log(1 + params + MACs) read off the DP's tables
 * (bigger is better, as accuracy tends to be, which pushes the search against the bound), an
 * infeasible one told as failed (as the pipeline tells it). Exit 1 if any proposal "with" is
 * infeasible.
 *
 * Usage: feasible_controllers_bench STDLIB FILE.nas [ASKS (default 200)] */
#include "compile.h"
#include "controller.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void draws_only(const void *ctx, SpaceRng *r, int32_t *arch) { feasible_sample(ctx, r, arch); }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: feasible_controllers_bench STDLIB FILE.nas [ASKS]\n");
        return 2;
    }
    int asks = argc > 3 ? atoi(argv[3]) : 200;
    Compiled c;
    if (nas_compile(&c, argv[2], &(CompileOptions){.stdlib_dir = argv[1]}) != 0 || !c.feasible) {
        fprintf(stderr, "feasible_controllers_bench: %s does not compile to a known feasible set\n", argv[2]);
        nas_compile_free(&c);
        return 1;
    }
    /* the bench swaps the space's hooks itself (as feasible_install does for the model) */
    Space *s = (Space *)model_space(c.space);
    printf("feasible %s (%s)\n", c.feas.count, c.bound.text);
    printf("%-10s %22s %22s\n", "controller", "infeasible without", "infeasible with");
    int32_t *arch = malloc(sizeof *arch * (size_t)(space_count(s) + 1));
    int bad_with = 0;
    for (int k = CONTROLLER_RANDOM; k <= CONTROLLER_PPO; k++) {
        int infeasible[2] = {0, 0};
        for (int with = 0; with < 2; with++) {
            if (with) feasible_install(c.space, c.feasible);
            else space_set_sampler(s, draws_only, NULL, c.feasible);
            ControllerParams p = controller_defaults((ControllerKind)k);
            p.seed = 1;
            p.population = 16, p.sample = 4, p.nsga2_population = 8; /* generations within ASKS */
            char err[200];
            Controller *ctl = controller_new(s, &p, err, sizeof err);
            if (!ctl) {
                fprintf(stderr, "%s: %s\n", controller_kind_name((ControllerKind)k), err);
                continue;
            }
            for (int i = 0; i < asks && controller_ask(ctl, arch) == 0; i++) {
                int64_t fig[2];
                bool known = feasible_figures(c.feasible, arch, fig);
                bool in = feasible_contains(c.feasible, arch);
                infeasible[with] += !in;
                /* the pipeline tells an infeasible trial as not ok */
                controller_tell(ctl, arch, known ? log1p((double)(fig[0] + fig[1])) : 0, known && in);
            }
            controller_free(ctl);
        }
        bad_with += infeasible[1];
        printf("%-10s %12d of %-7d %12d of %-7d\n", controller_kind_name((ControllerKind)k), infeasible[0], asks,
               infeasible[1], asks);
    }
    free(arch);
    nas_compile_free(&c);
    return bad_with ? 1 : 0;
}
