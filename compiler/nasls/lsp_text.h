/* lsp_text.h — text positions: LSP counts a line's characters in UTF-16 code units, the
 * compiler's Loc in bytes. A line index makes each conversion O(log lines + line length), so a
 * 10,000-line file with many diagnostics converts quickly. Positions out of range are clamped
 * (a line past the end is the end, a character past the line is its end), invalid UTF-8 counts
 * a byte as one unit: no input makes a conversion fail. */
#ifndef NAS_LSP_TEXT_H
#define NAS_LSP_TEXT_H
#include <stddef.h>

typedef struct LspLines {
    const char *text;
    size_t len;
    size_t *start; /* byte offset of each line's first byte */
    int n;         /* lines (>= 1) */
} LspLines;

/* 0, or -1 out of memory (then every conversion answers 0). */
int lsp_lines_init(LspLines *l, const char *text, size_t len);
void lsp_lines_free(LspLines *l);

/* The byte offset of LSP position (line, character), both 0-based. */
size_t lsp_offset(const LspLines *l, long line, long character);
/* The LSP position of byte offset `off`. */
void lsp_position(const LspLines *l, size_t off, int *line, int *character);
/* The byte offset of a compiler position: 1-based line, 1-based byte column. */
size_t lsp_loc_offset(const LspLines *l, int line, int col);

/* Length of the valid UTF-8 sequence at s (n bytes left, n >= 1), 0 if it is not one. */
int lsp_utf8_len(const unsigned char *s, size_t n);

/* Replaces bytes [from, to) of the malloc'd text *s (*len bytes, NUL-terminated) by the n bytes
 * at `with`. 0, or -1 out of memory (the text unchanged). */
int lsp_splice(char **s, size_t *len, size_t from, size_t to, const char *with, size_t n);
#endif
