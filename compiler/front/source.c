/* source.c — reading source files robustly (size limit before reading, NUL and UTF-8 checks). */
#include "source.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is malformed: overlong
 * forms, surrogates, code points over U+10FFFF and truncated sequences are all rejected. */
static int utf8_len(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    int n;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else return 0;
    if ((size_t)n > left) return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

/* Reports the first NUL byte or malformed sequence; true when the text is clean. */
static bool check_text(Diag *d, int file, const unsigned char *t, size_t len)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        int n = t[i] ? utf8_len(t + i, len - i) : 0;
        if (n == 0) {
            Loc at = {file, line, col, line, col, (int)i, (int)i + 1};
            if (t[i] == 0)
                diag_error(d, NAS0002, at, "NUL byte in source text: this looks like a binary file, not .nas text");
            else diag_error(d, NAS0002, at, "invalid UTF-8 byte 0x%02X: the file must be UTF-8 text", t[i]);
            return false;
        }
        if (t[i] == '\n') {
            line++;
            col = 1;
        } else col += n;
        i += (size_t)n;
    }
    return true;
}

int source_add_bytes(Diag *d, const char *path, const char *bytes, size_t len)
{
    if (len > SOURCE_MAX_BYTES) {
        int f = diag_add_source(d, path, NULL, 0);
        diag_error(d, NAS0003, (Loc){f, 0, 0, 0, 0, 0, 0}, "file is %zu bytes, over the %d MiB limit for source files",
                   len, SOURCE_MAX_BYTES >> 20);
        return SOURCE_REJECTED;
    }
    char *text = arena_strndup(d->arena, bytes, len);
    int f = diag_add_source(d, path, text, (int)len);
    return check_text(d, f, (const unsigned char *)text, len) ? f : SOURCE_REJECTED;
}

static int io_error(Diag *d, const char *path, const Loc *use, DiagCode code, const char *why)
{
    int f = diag_add_source(d, path, NULL, 0);
    Loc at = use ? *use : (Loc){f, 0, 0, 0, 0, 0, 0};
    diag_error(d, code, at, use ? "cannot read module '%s': %s" : "cannot read '%s': %s", path, why);
    return SOURCE_UNREADABLE;
}

int source_read(Diag *d, const char *path, const Loc *use)
{
    /* A module is opened without blocking: open() of a FIFO waits for a writer forever. The
     * main file may be a pipe (`nasc <(generate)`), so it is opened as given. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | (use ? O_NONBLOCK : 0));
    if (fd < 0) return io_error(d, path, use, NAS0001, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return io_error(d, path, use, NAS0001, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return io_error(d, path, use, NAS0001, "it is a directory");
    }
    if (use && !S_ISREG(st.st_mode)) {
        close(fd);
        return io_error(d, path, use, NAS0001, "a module must be a regular file (this is a FIFO, socket or device)");
    }
    /* Refuse by size before reading anything; non-regular files are checked while reading. */
    if (S_ISREG(st.st_mode) && st.st_size > SOURCE_MAX_BYTES) {
        close(fd);
        int f = diag_add_source(d, path, NULL, 0);
        diag_error(d, NAS0003, use ? *use : (Loc){f, 0, 0, 0, 0, 0, 0},
                   "'%s' is %lld bytes, over the %d MiB limit for source files", path, (long long)st.st_size,
                   SOURCE_MAX_BYTES >> 20);
        return SOURCE_REJECTED;
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024, len = 0;
    char *buf = arena_alloc(d->arena, cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > SOURCE_MAX_BYTES) break;
            size_t ncap = cap * 2 > (size_t)SOURCE_MAX_BYTES + 1 ? (size_t)SOURCE_MAX_BYTES + 1 : cap * 2;
            char *nbuf = arena_alloc(d->arena, ncap + 1);
            memcpy(nbuf, buf, len);
            buf = nbuf;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            return io_error(d, path, use, NAS0001, strerror(e));
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    close(fd);
    if (len > SOURCE_MAX_BYTES) {
        int f = diag_add_source(d, path, NULL, 0);
        diag_error(d, NAS0003, use ? *use : (Loc){f, 0, 0, 0, 0, 0, 0},
                   "'%s' is over the %d MiB limit for source files", path, SOURCE_MAX_BYTES >> 20);
        return SOURCE_REJECTED;
    }
    buf[len] = '\0';
    int f = diag_add_source(d, path, buf, (int)len);
    return check_text(d, f, (const unsigned char *)buf, len) ? f : SOURCE_REJECTED;
}
