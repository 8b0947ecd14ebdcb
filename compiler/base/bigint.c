/* bigint.c — fixed-capacity unsigned big integers: the few operations sizes and IDs need. */
#include "bigint.h"

#include <math.h>
#include <string.h>

static void trim(BigInt *a)
{
    while (a->n > 0 && a->d[a->n - 1] == 0) a->n--;
}

void bigint_set_u64(BigInt *a, uint64_t v)
{
    a->d[0] = (uint32_t)v;
    a->d[1] = (uint32_t)(v >> 32);
    a->n = 2;
    trim(a);
}

bool bigint_is_zero(const BigInt *a) { return a->n == 0; }

bool bigint_mul_add_small(BigInt *a, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        if (a->n == BIGINT_LIMBS) return false;
        a->d[a->n++] = (uint32_t)carry;
    }
    trim(a);
    return true;
}

bool bigint_add(BigInt *a, const BigInt *b)
{
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t t = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    a->n = n;
    if (carry) {
        if (n == BIGINT_LIMBS) return false;
        a->d[a->n++] = 1;
    }
    return true;
}

bool bigint_mul(BigInt *out, const BigInt *a, const BigInt *b)
{
    if (a->n == 0 || b->n == 0) {
        out->n = 0;
        return true;
    }
    int n = a->n + b->n;
    if (n - 1 > BIGINT_LIMBS) return false; /* the product has at least n-1 limbs */
    uint32_t tmp[2 * BIGINT_LIMBS];
    memset(tmp, 0, (size_t)n * sizeof *tmp);
    for (int i = 0; i < a->n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b->n; j++) {
            uint64_t t = (uint64_t)a->d[i] * b->d[j] + tmp[i + j] + carry;
            tmp[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        tmp[i + b->n] = (uint32_t)carry;
    }
    while (n > 0 && tmp[n - 1] == 0) n--;
    if (n > BIGINT_LIMBS) return false;
    memcpy(out->d, tmp, (size_t)n * sizeof *tmp);
    out->n = n;
    return true;
}

uint32_t bigint_divmod_small(BigInt *a, uint32_t m)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t t = (rem << 32) | a->d[i];
        a->d[i] = (uint32_t)(t / m);
        rem = t % m;
    }
    trim(a);
    return (uint32_t)rem;
}

int bigint_bits(const BigInt *a)
{
    if (a->n == 0) return 0;
    return 32 * (a->n - 1) + (32 - __builtin_clz(a->d[a->n - 1]));
}

double bigint_log10(const BigInt *a)
{
    if (a->n == 0) return -INFINITY;
    /* top 64 bits as a double times 2^(bits below them) */
    int i = a->n - 1;
    double top = a->d[i];
    if (i > 0) top = top * 4294967296.0 + a->d[i - 1];
    int shift = i > 0 ? 32 * (i - 1) : 0;
    return log10(top) + shift * log10(2.0);
}

bool bigint_to_decimal(const BigInt *a, char *buf, size_t size)
{
    BigInt t = *a;
    size_t len = 0;
    char tmp[BIGINT_LIMBS * 10 + 2]; /* 9.64 decimal digits per limb */
    do {
        uint32_t chunk = bigint_divmod_small(&t, 1000000000u);
        for (int k = 0; k < 9; k++) {
            tmp[len++] = (char)('0' + chunk % 10);
            chunk /= 10;
            if (t.n == 0 && chunk == 0) break;
        }
    } while (t.n > 0);
    if (len + 1 > size) return false;
    for (size_t i = 0; i < len; i++) buf[i] = tmp[len - 1 - i];
    buf[len] = '\0';
    return true;
}
