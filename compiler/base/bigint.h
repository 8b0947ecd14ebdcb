/* bigint.h — small fixed-capacity unsigned big integers for space sizes and architecture IDs.
 * Values live by value (no allocation); every operation reports overflow instead of wrapping. */
#ifndef NAS_BIGINT_H
#define NAS_BIGINT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIGINT_LIMBS 128 /* 4096 bits: sizes up to ~10^1233 */

typedef struct BigInt {
    int n;                    /* limbs in use; 0 is the number zero; d[n-1] != 0 */
    uint32_t d[BIGINT_LIMBS]; /* little-endian base 2^32 */
} BigInt;

void bigint_set_u64(BigInt *a, uint64_t v);
bool bigint_is_zero(const BigInt *a);
/* a = a * m + add; false on overflow (a is then unspecified). */
bool bigint_mul_add_small(BigInt *a, uint32_t m, uint32_t add);
bool bigint_add(BigInt *a, const BigInt *b);                    /* a += b */
bool bigint_mul(BigInt *out, const BigInt *a, const BigInt *b); /* out may alias neither */
uint32_t bigint_divmod_small(BigInt *a, uint32_t m);            /* a /= m, returns a % m; m > 0 */
int bigint_bits(const BigInt *a);                               /* 0 for zero */
double bigint_log10(const BigInt *a);                           /* -inf for zero */
/* Decimal digits into buf; false if buf is too small. */
bool bigint_to_decimal(const BigInt *a, char *buf, size_t size);
#endif
