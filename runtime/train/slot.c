/* slot.c — the latency slot (train.h): the trials of one nasrun share an anonymous file, and
 * two open-file-description locks on it say who computes. Byte 1 is the slot itself: a
 * trial's compute holds it shared, the latency measurement exclusively. Byte 0 is a gate in
 * front of it, so a waiting measurement is not starved by the others' steps: a measurement
 * takes the gate first and keeps it, a step passes through it (takes and drops it) before
 * taking the slot. OFD locks, not POSIX or flock ones: they belong to the open file
 * description each trial makes for itself (forked children would otherwise share the
 * parent's), and the kernel drops them when a trial dies, so a killed trial never leaves the
 * slot taken. */
#define _GNU_SOURCE /* memfd_create, F_OFD_SETLKW */
#include "train.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int train_slot_create(void)
{
    return memfd_create("nas-latency-slot", MFD_CLOEXEC); /* locks may lie past its end: it stays empty */
}

int train_slot_open(int shared_fd)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", shared_fd);
    return open(path, O_RDWR | O_CLOEXEC); /* a new open file description of the same file */
}

/* Sets lock `type` (F_RDLCK, F_WRLCK, F_UNLCK) on byte `at`, waiting for it. */
static void lock_byte(int fd, int at, short type)
{
    struct flock l = {.l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1};
    while (fcntl(fd, F_OFD_SETLKW, &l) != 0 && errno == EINTR) {}
}

void train_slot_enter(int fd, bool alone)
{
    if (fd < 0) return;
    lock_byte(fd, 0, alone ? F_WRLCK : F_RDLCK);
    lock_byte(fd, 1, alone ? F_WRLCK : F_RDLCK);
    if (!alone) lock_byte(fd, 0, F_UNLCK);
}

void train_slot_leave(int fd)
{
    if (fd < 0) return;
    lock_byte(fd, 1, F_UNLCK);
    lock_byte(fd, 0, F_UNLCK); /* held only by a measurement; a no-op otherwise */
}
