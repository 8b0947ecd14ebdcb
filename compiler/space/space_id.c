/* space_id.c — compact architecture IDs: "1" + Crockford base32 of the mixed-radix number over
 * the active decisions (decision 0 least significant) + 2 check characters. */
#include "space_int.h"
#include "bigint.h"

#include <string.h>

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define VERSION_CHAR '1'

static int decode_char(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c == 'I' || c == 'L') return 1; /* Crockford: read as one and zero */
    if (c == 'O') return 0;
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

/* Check characters: a plain sum mod 32 catches every single substitution, a position-weighted
 * sum mod 31 most transpositions; the table's shape is mixed in so an ID of another space
 * fails too. */
static void checksum(const Space *s, const int *digits, int n, int out[2])
{
    uint64_t shape = space__shape(s);
    uint64_t a = shape & 31, b = (shape >> 5) % 31;
    for (int i = 0; i < n; i++) {
        a += (uint64_t)digits[i];
        b += (uint64_t)(i + 1) * (uint64_t)digits[i];
    }
    out[0] = (int)(a % 32);
    out[1] = (int)(b % 31);
}

size_t space_id_len(const Space *s)
{
    size_t bits = 0;
    for (int d = 0; d < s->n; d++) bits += (size_t)(32 - __builtin_clz(s->hot[d].radix | 1));
    return 1 + (bits / 5 + 1) + 2 + 1;
}

SpaceStatus space_arch_to_id(const Space *s, const int32_t *arch, char *buf, size_t size, SpaceError *err)
{
    SpaceStatus st = space_validate(s, arch, err);
    if (st != SPACE_OK) return st;
    /* Horner from the last decision; digits are gathered into one 32-bit step while the
     * product of their radices fits, so the bigint is touched a few times, not per decision. */
    BigInt num;
    bigint_set_u64(&num, 0);
    uint64_t mul = 1, add = 0;
    bool ok = true;
    for (int d = s->n - 1; d >= 0 && ok; d--) {
        if (arch[d] == SPACE_INACTIVE) continue;
        const SpaceHot *h = &s->hot[d];
        if (mul * h->radix > UINT32_MAX) {
            ok = bigint_mul_add_small(&num, (uint32_t)mul, (uint32_t)add);
            mul = 1;
            add = 0;
        }
        add = add * h->radix + (uint32_t)arch[d];
        mul *= h->radix;
    }
    if (!ok || !bigint_mul_add_small(&num, (uint32_t)mul, (uint32_t)add)) {
        space__set_error(err, SPACE_E_TOO_BIG, -1, "architecture number exceeds %d bits", 32 * BIGINT_LIMBS);
        return SPACE_E_TOO_BIG;
    }
    int bits = bigint_bits(&num);
    int n = bits ? (bits + 4) / 5 : 1;
    if ((size_t)n + 4 > size) {
        space__set_error(err, SPACE_E_BUFFER, -1, "ID needs %d characters", n + 4);
        return SPACE_E_BUFFER;
    }
    int digits[BIGINT_LIMBS * 32 / 5 + 1];
    for (int i = 0; i < n; i++) { /* most significant first: 5 bits from a 64-bit window */
        int lo = 5 * (n - 1 - i), w = lo / 32;
        uint64_t window = num.d[w] | (w + 1 < num.n ? (uint64_t)num.d[w + 1] << 32 : 0);
        digits[i] = (int)((window >> (lo % 32)) & 31);
    }
    int check[2];
    checksum(s, digits, n, check);
    buf[0] = VERSION_CHAR;
    for (int i = 0; i < n; i++) buf[1 + i] = ALPHABET[digits[i]];
    buf[n + 1] = ALPHABET[check[0]];
    buf[n + 2] = ALPHABET[check[1]];
    buf[n + 3] = '\0';
    return SPACE_OK;
}

SpaceStatus space_id_to_arch(const Space *s, const char *id, int32_t *arch, SpaceError *err)
{
    size_t len = strlen(id);
    if (len < 4) {
        space__set_error(err, SPACE_E_ID_EMPTY, (int)len,
                         "ID '%s' is too short: a version, at least one digit and 2 check characters", id);
        return SPACE_E_ID_EMPTY;
    }
    if (id[0] != VERSION_CHAR) {
        space__set_error(err, SPACE_E_ID_VERSION, 0,
                         "ID '%s': unknown format version '%c' at position 0 (expected '%c')", id, id[0], VERSION_CHAR);
        return SPACE_E_ID_VERSION;
    }
    int n = (int)len - 3;
    if (n > BIGINT_LIMBS * 32 / 5) {
        space__set_error(err, SPACE_E_ID_RANGE, 0, "ID of %zu characters is longer than any architecture's", len);
        return SPACE_E_ID_RANGE;
    }
    int digits[BIGINT_LIMBS * 32 / 5 + 1];
    for (int i = 1; i < (int)len; i++) {
        int v = decode_char(id[i]);
        if (v < 0) {
            space__set_error(err, SPACE_E_ID_CHAR, i,
                             "ID '%s': invalid character '%c' at position %d "
                             "(Crockford base32: 0-9 A-Z without I L O U)",
                             id, id[i], i);
            return SPACE_E_ID_CHAR;
        }
        if (i <= n) digits[i - 1] = v;
    }
    int check[2];
    checksum(s, digits, n, check);
    if (check[0] != decode_char(id[n + 1]) || check[1] != decode_char(id[n + 2])) {
        space__set_error(err, SPACE_E_ID_CHECKSUM, n + 1,
                         "ID '%s': check characters at position %d do not match "
                         "(a typo, or an ID of another space)",
                         id, n + 1);
        return SPACE_E_ID_CHECKSUM;
    }
    if (n > 1 && digits[0] == 0) {
        space__set_error(err, SPACE_E_ID_CHAR, 1, "ID '%s': leading zero digit at position 1", id);
        return SPACE_E_ID_CHAR;
    }
    BigInt num;
    bigint_set_u64(&num, 0);
    for (int i = 0; i < n; i++)
        if (!bigint_mul_add_small(&num, 32, (uint32_t)digits[i])) {
            space__set_error(err, SPACE_E_ID_RANGE, 1, "ID '%s' is larger than any architecture of this space", id);
            return SPACE_E_ID_RANGE;
        }
    for (int d = 0; d < s->n; d++) {
        if (!space__active_canon(s, arch, d)) {
            arch[d] = SPACE_INACTIVE;
            continue;
        }
        arch[d] = (int32_t)bigint_divmod_small(&num, s->hot[d].radix);
    }
    if (!bigint_is_zero(&num)) {
        space__set_error(err, SPACE_E_ID_RANGE, 1, "ID '%s' is larger than any architecture of this space", id);
        return SPACE_E_ID_RANGE;
    }
    return SPACE_OK;
}
