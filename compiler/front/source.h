/* source.h — reading .nas files into the Diag source table, with the checks every input
 * gets: readable regular file, at most SOURCE_MAX_BYTES, no NUL byte, valid UTF-8.
 * An empty file (or one with only comments) is valid: an empty program. */
#ifndef NAS_SOURCE_H
#define NAS_SOURCE_H
#include <stddef.h>
#include "diag.h"

#define SOURCE_MAX_BYTES (64 * 1024 * 1024)

enum { SOURCE_UNREADABLE = -1, SOURCE_REJECTED = -2 };

/* Reads `path` into d's source table and checks it. Returns the file index, or after
 * reporting: SOURCE_UNREADABLE (NAS0001: missing, a directory, no permission, read error)
 * or SOURCE_REJECTED (NAS0002: NUL byte or bad UTF-8; NAS0003: over 64 MiB, refused by
 * its size before reading). I/O errors are reported at *use when given (the `use` that
 * names a module), else at the file itself; encoding errors point at the first bad byte. */
int source_read(Diag *d, const char *path, const Loc *use);

/* The same checks for bytes already in memory (the fuzzer's entry point). The bytes are
 * copied into d's arena. Returns the file index, or SOURCE_REJECTED after reporting. */
int source_add_bytes(Diag *d, const char *path, const char *bytes, size_t len);
#endif
