/* lsp_text.c — line index and UTF-16 positions (lsp_text.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lsp_text.h"

int lsp_lines_init(LspLines *l, const char *text, size_t len)
{
    *l = (LspLines){.text = text, .len = len, .n = 1};
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    l->start = malloc(n * sizeof *l->start);
    if (!l->start) return l->len = 0, -1;
    l->start[0] = 0;
    for (size_t i = 0, k = 1; i < len; i++)
        if (text[i] == '\n') l->start[k++] = i + 1;
    l->n = (int)n;
    return 0;
}

void lsp_lines_free(LspLines *l)
{
    free(l->start);
    l->start = NULL;
}

static size_t line_end(const LspLines *l, int line)
{
    size_t e = line + 1 < l->n ? l->start[line + 1] - 1 : l->len; /* at the '\n' */
    if (e > l->start[line] && l->text[e - 1] == '\r') e--;
    return e;
}

/* lsp_text.h: length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
int lsp_utf8_len(const unsigned char *s, size_t n)
{
    int len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || (size_t)len > n) return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    uint32_t c = len == 1 ? s[0] : len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (int i = 1; i < len; i++) c = c << 6 | (s[i] & 0x3Fu);
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    return len;
}

/* UTF-16 units of the character at p (e: the end of its line), and its byte length: a byte
 * that starts no valid sequence is one unit, as a decoder's replacement would be. */
static int units(const char *t, size_t p, size_t e, int *bytes)
{
    int n = lsp_utf8_len((const unsigned char *)t + p, e - p);
    *bytes = n ? n : 1;
    return n == 4 ? 2 : 1;
}

size_t lsp_offset(const LspLines *l, long line, long character)
{
    if (!l->start || line < 0) return 0;
    if (line >= l->n) return l->len;
    size_t p = l->start[line], e = line_end(l, (int)line);
    for (long u = 0; p < e && u < character;) {
        int b;
        u += units(l->text, p, e, &b);
        p += (size_t)b;
    }
    return p;
}

void lsp_position(const LspLines *l, size_t off, int *line, int *character)
{
    *line = *character = 0;
    if (!l->start) return;
    if (off > l->len) off = l->len;
    int lo = 0, hi = l->n - 1; /* the last line starting at or before off */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (l->start[mid] <= off) lo = mid;
        else hi = mid - 1;
    }
    size_t p = l->start[lo];
    int u = 0;
    while (p < off) {
        int b;
        u += units(l->text, p, l->len, &b);
        p += (size_t)b;
    }
    *line = lo, *character = u;
}

size_t lsp_loc_offset(const LspLines *l, int line, int col)
{
    if (!l->start || line < 1) return 0;
    if (line > l->n) return l->len;
    size_t p = l->start[line - 1], e = line_end(l, line - 1);
    if (col < 1) col = 1;
    return p + (size_t)(col - 1) > e ? e : p + (size_t)(col - 1);
}

int lsp_splice(char **s, size_t *len, size_t from, size_t to, const char *with, size_t n)
{
    if (to > *len) to = *len;
    if (from > to) from = to;
    size_t nl = *len - (to - from) + n;
    char *t = malloc(nl + 1);
    if (!t) return -1;
    memcpy(t, *s, from);
    memcpy(t + from, with, n);
    memcpy(t + from + n, *s + to, *len - to);
    t[nl] = '\0';
    free(*s);
    *s = t, *len = nl;
    return 0;
}
