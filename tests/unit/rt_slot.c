/* rt_slot.c — the latency slot (runtime/train/slot.c), with forked processes as nasrun's
 * trials are: while one holds it alone, the others' shared holds (their steps) make no
 * progress, and they step again once it is left; a process killed while holding it does not
 * keep it. */
#define _GNU_SOURCE
#include "rt_check.h"
#include "train.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct Shared {
    atomic_long steps; /* steps the stepping processes finished */
    atomic_int stop;
} Shared;

static void spin_us(long us)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000L + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

/* A trial's training loop: shared holds of ~200 us each, back to back, until told to stop. */
static pid_t stepper(int slot, Shared *sh)
{
    pid_t p = fork();
    if (p) return p;
    int fd = train_slot_open(slot);
    while (!atomic_load(&sh->stop)) {
        train_slot_enter(fd, false);
        spin_us(200);
        atomic_fetch_add(&sh->steps, 1);
        train_slot_leave(fd);
    }
    _exit(0);
}

int main(void)
{
    alarm(60); /* a slot that never frees fails the test by SIGALRM, not by hanging ctest */
    int slot = train_slot_create();
    CHECK(slot >= 0, "no slot");
    Shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    atomic_init(&sh->steps, 0);
    atomic_init(&sh->stop, 0);
    pid_t a = stepper(slot, sh), b = stepper(slot, sh);
    int me = train_slot_open(slot);
    CHECK(me >= 0, "cannot open the slot");
    while (atomic_load(&sh->steps) < 20) spin_us(100); /* both are stepping */
    /* alone: no step finishes while it is held (one that was running when the wait began has
     * finished before enter returns) */
    for (int round = 0; round < 5; round++) {
        train_slot_enter(me, true);
        long before = atomic_load(&sh->steps);
        spin_us(20000);
        long during = atomic_load(&sh->steps) - before;
        train_slot_leave(me);
        CHECK(during == 0, "round %d: %ld steps ran while the slot was held alone", round, during);
        long after = atomic_load(&sh->steps);
        for (int w = 0; w < 2000 && atomic_load(&sh->steps) == after; w++) spin_us(1000); /* a loaded machine */
        CHECK(atomic_load(&sh->steps) > after, "round %d: no step within 2 s after the slot was left", round);
    }
    atomic_store(&sh->stop, 1);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);

    /* a holder that dies holding the slot releases it */
    pid_t c = fork();
    if (!c) {
        int fd = train_slot_open(slot);
        train_slot_enter(fd, false);
        pause(); /* killed here, holding it */
        _exit(0);
    }
    spin_us(50000);
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    train_slot_enter(me, true); /* returns: SIGALRM would end the test otherwise */
    train_slot_leave(me);

    /* -1 (no slot): no-ops */
    train_slot_enter(-1, true);
    train_slot_leave(-1);
    return RT_DONE("rt_slot");
}
