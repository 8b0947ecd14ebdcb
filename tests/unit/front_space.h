/* front_space.h — the space the multi-objective controller tests share: 6 decisions of 5
 * values, told the objectives (sum of values, -(count of nonzero)), two that conflict: the
 * Pareto front is every point whose nonzero values are all 4. */
#ifndef NAS_TEST_FRONT_SPACE_H
#define NAS_TEST_FRONT_SPACE_H
#include "check.h"
#include "controller.h"
#include <stdio.h>
#include <string.h>

static Space *front_space(void)
{
    Space *s = space_new();
    SpaceLoc loc = {"t", 1, 1};
    int64_t vals[5] = {0, 1, 2, 3, 4};
    for (int d = 0; d < 6; d++) {
        char name[8];
        snprintf(name, sizeof name, "d%d", d);
        space_add_ints(s, name, loc, 5, vals);
    }
    return s;
}

static void front_objectives(const int32_t *a, double *o)
{
    o[0] = o[1] = 0;
    for (int d = 0; d < 6; d++) {
        o[0] += a[d];
        o[1] -= a[d] != 0;
    }
}

/* n asks, each told its objectives at once; the proposals to log (6 a trial). */
static void front_run(Controller *c, int n, int32_t *log)
{
    for (int t = 0; t < n; t++) {
        int32_t a[6];
        CHECK(controller_ask(c, a) == 0);
        double o[2];
        front_objectives(a, o);
        controller_tell_objectives(c, a, o[0], o, 2, true);
        memcpy(log + 6 * t, a, sizeof a);
    }
}
#endif
