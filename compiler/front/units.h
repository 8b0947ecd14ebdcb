/* units.h — the units of .nas quantities (2ms, 20min, 64MB, 90%, 3M) and their scale to the
 * base unit of their dimension (seconds, bytes, a fraction, a count). One table, read by the
 * scanner and by the command lines that take durations (nasrun --time-limit 20min). */
#ifndef NAS_UNITS_H
#define NAS_UNITS_H
#include "ast.h"

typedef struct Unit {
    const char *name;
    UnitDim dim;
    double scale;
    bool divide; /* a sub-unit: value / scale (2ms = 2/1000 exactly rounded) */
} Unit;

/* The unit spelled by the `len` bytes at `name`, or NULL. */
const Unit *unit_find(const char *name, int len);
/* `v` of unit u in the base unit. */
double unit_apply(const Unit *u, double v);
#define UNIT_LIST "us ms s min h, B KB MB GB, %, K M G" /* for messages */
#endif
