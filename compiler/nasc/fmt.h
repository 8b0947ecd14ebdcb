/* fmt.h — `nasc fmt [--check] FILE...` (fmt.c): rewrites each file in the canonical form of
 * the printer (print.h) with its comments kept; --check only reports the files that differ. */
#ifndef NAS_NASC_FMT_H
#define NAS_NASC_FMT_H
#include <stdbool.h>

/* Exit status: 0 every file formatted (or already so), 1 a file does not parse or (--check)
 * is not formatted, 2 a file cannot be read or written. */
int nasc_fmt(int argc, char **argv);
#endif
