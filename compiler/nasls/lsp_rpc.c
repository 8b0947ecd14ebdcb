/* lsp_rpc.c — Content-Length framing and JSON-RPC messages (lsp_rpc.h). */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "lsp_rpc.h"
#include "lsp_text.h"

void lsp_in_init(LspIn *in, int fd) { *in = (LspIn){.fd = fd}; }
void lsp_in_free(LspIn *in)
{
    free(in->buf);
    free(in->msg);
}

static void drop(LspIn *in, size_t n)
{
    memmove(in->buf, in->buf + n, in->len - n);
    in->len -= n;
}

/* Reads what is available (waiting up to timeout_ms): 1 got bytes, 0 timeout, -1 EOF. */
static int fill(LspIn *in, int timeout_ms)
{
    if (in->eof) return -1;
    struct pollfd p = {.fd = in->fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0) return r < 0 && errno != EINTR ? (in->eof = 1, -1) : 0;
    if (in->cap - in->len < 65536) {
        size_t cap = in->cap ? in->cap * 2 : 131072;
        char *b = realloc(in->buf, cap + 1);
        if (!b) return in->eof = 1, -1;
        in->buf = b, in->cap = cap;
    }
    ssize_t n = read(in->fd, in->buf + in->len, in->cap - in->len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    if (n <= 0) return in->eof = 1, -1;
    in->len += (size_t)n;
    return 1;
}

/* Offset of the blank line ending the header block, and its length; -1 if not there yet. */
static long header_end(const char *s, size_t n, size_t *sep)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '\n') continue;
        if (s[i + 1] == '\n') return *sep = 2, (long)i;
        if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') return *sep = 3, (long)i;
    }
    return -1;
}

/* The last `Content-Length:` of the header block (the last, so that a block that starts
 * with the tail of a broken message still finds the header of the next one); -1 if none. */
static long long header_length(const char *h, size_t n)
{
    static const char key[] = "content-length:";
    const size_t k = sizeof key - 1;
    long long found = -1;
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(h + i, key, k)) continue;
        size_t j = i + k, digits = 0;
        while (j < n && (h[j] == ' ' || h[j] == '\t')) j++;
        long long v = 0;
        while (j < n && isdigit((unsigned char)h[j]) && digits < 12) v = v * 10 + (h[j++] - '0'), digits++;
        found = digits && (j == n || h[j] == '\r' || h[j] == '\n' || h[j] == ' ') ? v : -1;
    }
    return found;
}

LspRead lsp_read(LspIn *in, int timeout_ms, const char **body, size_t *len)
{
    for (;;) {
        size_t sep = 0;
        long he = in->len ? header_end(in->buf, in->len, &sep) : -1;
        if (he < 0 && in->len > LSP_MAX_HEADER) { /* no header block: keep only a possible start */
            drop(in, in->len - 16);
            return LSP_BAD_HEADER;
        }
        if (he >= 0) {
            size_t hl = (size_t)he + sep;
            long long n = header_length(in->buf, (size_t)he);
            if (n < 0 || n > (long long)LSP_MAX_BODY) {
                drop(in, hl);
                return LSP_BAD_HEADER;
            }
            if (in->len >= hl + (size_t)n) {
                char *m = realloc(in->msg, (size_t)n + 1);
                if (!m) return LSP_EOF;
                memcpy(m, in->buf + hl, (size_t)n);
                m[n] = '\0';
                in->msg = m;
                drop(in, hl + (size_t)n);
                *body = m;
                *len = (size_t)n;
                return LSP_MESSAGE;
            }
        }
        int r = fill(in, timeout_ms);
        if (r < 0) return LSP_EOF;
        if (r == 0) return LSP_TIMEOUT;
    }
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w, n -= (size_t)w;
    }
    return 0;
}

int lsp_send(int fd, cJSON *msg)
{
    char *text = msg ? cJSON_PrintUnformatted(msg) : NULL;
    cJSON_Delete(msg);
    if (!text) return -1;
    size_t n = strlen(text), bad = 0;
    for (size_t i = 0; i < n;) {
        int l = lsp_utf8_len((const unsigned char *)text + i, n - i);
        bad += !l;
        i += l ? (size_t)l : 1;
    }
    char *out = text;
    if (bad) { /* each bad byte becomes the 3 bytes of U+FFFD */
        out = malloc(n + 2 * bad + 1);
        if (!out) return free(text), -1;
        size_t o = 0;
        for (size_t i = 0; i < n;) {
            int l = lsp_utf8_len((const unsigned char *)text + i, n - i);
            if (l) memcpy(out + o, text + i, (size_t)l), o += (size_t)l, i += (size_t)l;
            else memcpy(out + o, "\xEF\xBF\xBD", 3), o += 3, i++;
        }
        n = o;
        free(text);
    }
    char head[64];
    int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    int rc = write_all(fd, head, (size_t)hn) || write_all(fd, out, n) ? -1 : 0;
    free(out);
    return rc;
}

static cJSON *envelope(void)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    return m;
}

int lsp_respond(int fd, const cJSON *id, cJSON *result)
{
    cJSON *m = envelope();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    return lsp_send(fd, m);
}

int lsp_respond_error(int fd, const cJSON *id, int code, const char *message)
{
    cJSON *m = envelope();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", message);
    return lsp_send(fd, m);
}

int lsp_notify(int fd, const char *method, cJSON *params)
{
    cJSON *m = envelope();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    return lsp_send(fd, m);
}
