/* rt_check.h — tiny assertion helpers shared by the runtime's tests (rt_*.c). */
#ifndef RT_CHECK_H
#define RT_CHECK_H
#include <stdio.h>

static int rt_failures;
#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            rt_failures++;                                                   \
            fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)
#define RT_DONE(name) (printf("%s: %s\n", name, rt_failures ? "FAILED" : "ok"), rt_failures ? 1 : 0)
#endif
