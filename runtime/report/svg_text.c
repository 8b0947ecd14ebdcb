/* svg_text.c — text into HTML and SVG: escaping (entities, control characters, invalid UTF-8)
 * and the short number format of plot labels. */
#include "svg.h"
#include <math.h>
#include <stdint.h>

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!n || s[0] > 0xF4) return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    uint32_t c = n == 2   ? (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu)
                 : n == 3 ? (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu)
                          : (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
    /* overlong forms, surrogates and past U+10FFFF are not UTF-8 */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    return n;
}

void svg_escape_cut(FILE *out, const char *str, int max)
{
    const unsigned char *s = (const unsigned char *)str;
    for (int k = 0; s && *s; k++) {
        if (max >= 0 && k >= max) {
            fputs("\xE2\x80\xA6", out);
            return;
        }
        int n = utf8_len(s);
        if (!n) {
            fputs("\xEF\xBF\xBD", out);
            s++;
            continue;
        }
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if (*s < 0x20 && *s != '\t' && *s != '\n') break;
            if (*s == 0x7F) break;
            fwrite(s, 1, (size_t)n, out);
        }
        s += n;
    }
}

void svg_escape(FILE *out, const char *s) { svg_escape_cut(out, s, -1); }

void svg_num(char *buf, size_t size, double v)
{
    if (!isfinite(v)) snprintf(buf, size, "\xE2\x80\x93");
    else snprintf(buf, size, "%.4g", v);
}
