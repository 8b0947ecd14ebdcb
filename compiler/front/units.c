/* units.c — the table of quantity units (units.h). */
#include "units.h"
#include <string.h>

/* Sub-unit scales divide (2ms = 2/1000 exactly rounded), larger ones multiply. */
static const Unit units[] = {
    {"us", DIM_TIME, 1e6, true},
    {"ms", DIM_TIME, 1e3, true},
    {"s", DIM_TIME, 1, false},
    {"min", DIM_TIME, 60, false},
    {"h", DIM_TIME, 3600, false},
    {"B", DIM_MEMORY, 1, false},
    {"KB", DIM_MEMORY, 1024.0, false},
    {"MB", DIM_MEMORY, 1024.0 * 1024, false},
    {"GB", DIM_MEMORY, 1024.0 * 1024 * 1024, false},
    {"%", DIM_RATIO, 100, true},
    {"K", DIM_COUNT, 1e3, false},
    {"M", DIM_COUNT, 1e6, false},
    {"G", DIM_COUNT, 1e9, false},
};

const Unit *unit_find(const char *name, int len)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if ((int)strlen(units[i].name) == len && memcmp(units[i].name, name, (size_t)len) == 0) return &units[i];
    return NULL;
}

double unit_apply(const Unit *u, double v) { return u->divide ? v / u->scale : v * u->scale; }
