/* check.h — the assertion the unit tests share: CHECK(c) reports a failed condition with its
 * place and counts it in `failures`, which the test's main turns into its exit status. */
#ifndef NAS_TEST_CHECK_H
#define NAS_TEST_CHECK_H
#include <stdio.h>

static int failures;
#define CHECK(c)                                                                  \
    do {                                                                          \
        if (!(c)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
            failures++;                                                           \
        }                                                                         \
    } while (0)
#endif
