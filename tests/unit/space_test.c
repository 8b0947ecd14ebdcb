/* space_test.c — unit tests of the Space IR: exact counting against brute force, grid, IDs,
 * malformed IDs, Sobol points, mutation, crossover, determinism and the JSON dump. */
#include "space.h"
#include "sobol_dirs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;
#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

static const SpaceLoc NOLOC = {"t.nas", 1, 1};
static SpaceLoc at(int line, int col) { return (SpaceLoc){"t.nas", line, col}; }

/* ---- spaces under test ---- */

/* oneof with three branches; nested bool under branch 1's range; a subset at the root. */
static Space *space_oneof(void)
{
    Space *s = space_new();
    const char *ops[] = {"conv", "mlp", "identity"};
    int op = space_add_labels(s, "op", at(2, 5), 3, ops);
    int k = space_add_ints(s, "kernel", at(3, 9), 3, (const int64_t[]){3, 5, 7});
    space_when(s, k, op, 0, 0);
    int r = space_add_int_range(s, "units", at(4, 9), 1, 10, 3); /* 1 4 7 10 */
    space_when(s, r, op, 1, 1);
    int b = space_add_bool(s, "bias", at(5, 9));
    space_when(s, b, r, 2, 3); /* units >= 7 */
    space_add_subset(s, "skip", at(6, 9), 2, 4, (const char *const[]){"a", "b", "c", "d"});
    return s;
}

/* A decided repeat: layer i exists when depth >= i; its kernel only when its width is 32. */
static Space *space_repeat(void)
{
    Space *s = space_new();
    int depth = space_add_int_range(s, "depth", at(1, 1), 1, 4, 1);
    for (int i = 1; i <= 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "layer[%d].width", i);
        int w = space_add_ints(s, name, at(2, 5), 2, (const int64_t[]){16, 32});
        if (i > 1) space_when(s, w, depth, i - 1, 3);
        snprintf(name, sizeof name, "layer[%d].kernel", i);
        int k = space_add_int_range(s, name, at(3, 5), 3, 7, 2);
        space_when(s, k, w, 1, 1);
    }
    return s;
}

/* Step float ranges (linear and log), a parent of arity 70 (no bitmask) with split intervals. */
static Space *space_ranges(void)
{
    Space *s = space_new();
    space_add_float_range(s, "drop", at(1, 1), 0.1, 0.5, 0.1, false); /* 5 values */
    space_add_float_range(s, "lr", at(2, 1), 1e-4, 1e-1, 10, true);   /* 4 values */
    int big = space_add_int_range(s, "big", at(3, 1), 0, 69, 1);
    int c = space_add_ints(s, NULL, at(4, 7), 2, (const int64_t[]){1, 2});
    space_when(s, c, big, 60, 69);
    space_when(s, c, big, 3, 10);
    space_when(s, c, big, 11, 11); /* merges with 3..10 */
    int cc = space_add_bool(s, NULL, at(5, 7));
    space_when(s, cc, c, 1, 1);
    return s;
}

/* 100 decisions of 7 values: 7^100 > 2^64. */
static Space *space_big(void)
{
    Space *s = space_new();
    for (int i = 0; i < 100; i++) space_add_int_range(s, NULL, at(i + 1, 3), 0, 6, 1);
    return s;
}

/* Continuous ranges beside discrete ones, one conditional on a bool. */
static Space *space_continuous(void)
{
    Space *s = space_new();
    space_add_float_range(s, "lr", at(1, 1), 1e-5, 1.0, 0, true);
    int b = space_add_bool(s, "wd_on", at(2, 1));
    int wd = space_add_float_range(s, "wd", at(3, 1), 0.0, 0.1, 0, false);
    space_when(s, wd, b, 1, 1);
    space_add_ints(s, "width", at(4, 1), 3, (const int64_t[]){8, 16, 32});
    return s;
}

/* Decisions inside a subset's elements, existing only when their element is picked: 2 of
 * [e0, e1, e2, e3] where e0 holds k0 (3 values; a bool under its last), e1 nothing, e2 k2
 * (2 values) and e3 a 1-of-3 subset whose middle element holds a 4-value range. Element
 * counts 4, 1, 2, 1+4+1 = 6; size e_2(4, 1, 2, 6) = 4 + 8 + 24 + 2 + 6 + 12 = 56. */
static Space *space_picked(void)
{
    Space *s = space_new();
    int in = space_add_subset(s, "in", at(2, 5), 2, 4, (const char *const[]){"e0", "e1", "e2", "e3"});
    int k0 = space_add_ints(s, "k0", at(3, 5), 3, (const int64_t[]){1, 3, 5});
    space_when(s, k0, in, 0, 0);
    int b = space_add_bool(s, "b", at(4, 5));
    space_when(s, b, k0, 2, 2);
    int k2 = space_add_ints(s, "k2", at(5, 5), 2, (const int64_t[]){8, 16});
    space_when(s, k2, in, 2, 2);
    int inner = space_add_subset(s, "inner", at(6, 5), 1, 3, NULL);
    space_when(s, inner, in, 3, 3);
    int w = space_add_int_range(s, "w", at(7, 5), 1, 4, 1);
    space_when(s, w, inner, 1, 1);
    return s;
}

/* A subset whose elements hold decisions, in a group of several cases (under guards over a
 * and b, b a second parent): e_k per case. a, b: sub (1 of 3) when a and b >= 1; k0 (3
 * values, t under k0 >= 1) in e0, k2 (bool) in e2, extra under b == 2 and a. a = 0: 3 (b);
 * a = 1: b = 0: 1; b = 1: e_1(5, 1, 2) = 8; b = 2: 8 * 2 (extra) = 16. Size 28. */
static Space *space_picked_cases(void)
{
    Space *s = space_new();
    int a = space_add_bool(s, "a", at(1, 1));
    int b = space_add_int_range(s, "b", at(2, 1), 0, 2, 1);
    int sub = space_add_subset(s, "sub", at(3, 1), 1, 3, NULL);
    space_when(s, sub, a, 1, 1);
    space_when(s, sub, b, 1, 2);
    int k0 = space_add_ints(s, "k0", at(4, 1), 3, (const int64_t[]){1, 3, 5});
    space_when(s, k0, sub, 0, 0);
    int t = space_add_bool(s, "t", at(5, 1));
    space_when(s, t, k0, 1, 2);
    int k2 = space_add_bool(s, "k2", at(6, 1));
    space_when(s, k2, sub, 2, 2);
    int extra = space_add_bool(s, "extra", at(7, 1));
    space_when(s, extra, b, 2, 2);
    space_when(s, extra, a, 1, 1);
    return s;
}

/* The benchmark's space: 30 categorical decisions of 4 or 5 values. */
static Space *space_flat30(void)
{
    Space *s = space_new();
    for (int i = 0; i < 30; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        space_add_ints(s, name, NOLOC, i % 2 ? 5 : 4, (const int64_t[]){1, 2, 3, 4, 5});
    }
    return s;
}

/* Guards over several parents (a conjunction). Roots op {1,2,3} and bn bool; width {8,16}
 * when op == 1 and bn; kernel 0..2 under width 16; deep bool when op in {2,3}; gate bool;
 * extra {1,2,3} when deep and gate (deep is itself conditional); reps 1..3 when bn, the
 * second layer's bias when reps >= 2 and op == 1. Counted by hand, per (op, bn): width part
 * W = 1 + 3 = 4 when op == 1 and bn, else 1; deep part D = 2 (gate) when op == 1, else
 * 2 + (1 + 3) = 6; reps part R = 1 without bn, 1 + 2 + 2 = 5 with bn and op == 1, else 3.
 * Sum of W*D*R: (1,f) 2 + (1,t) 40 + (2|3,f) 6+6 + (2|3,t) 18+18 = 90. */
static Space *space_guards(void)
{
    Space *s = space_new();
    int op = space_add_ints(s, "op", at(1, 1), 3, (const int64_t[]){1, 2, 3});
    int bn = space_add_bool(s, "bn", at(2, 1));
    int w = space_add_ints(s, "width", at(3, 1), 2, (const int64_t[]){8, 16});
    space_when(s, w, op, 0, 0);
    space_when(s, w, bn, 1, 1);
    int k = space_add_int_range(s, "kernel", at(4, 1), 0, 2, 1);
    space_when(s, k, w, 1, 1);
    int deep = space_add_bool(s, "deep", at(5, 1));
    space_when(s, deep, op, 1, 2);
    int gate = space_add_bool(s, "gate", at(6, 1));
    int extra = space_add_ints(s, "extra", at(7, 1), 3, (const int64_t[]){1, 2, 3});
    space_when(s, extra, deep, 1, 1);
    space_when(s, extra, gate, 1, 1);
    int reps = space_add_int_range(s, "reps", at(8, 1), 1, 3, 1);
    space_when(s, reps, bn, 1, 1);
    int l2 = space_add_bool(s, "layer[1].bias", at(9, 1));
    space_when(s, l2, reps, 1, 2);
    space_when(s, l2, op, 0, 0);
    return s;
}

/* n independent pairs: a[i], b[i] bools, x[i] bool when a[i] and b[i]: each pair a group of
 * its own (3 + 2 = 5 architectures), 5^n in all. */
static Space *space_pairs(int n)
{
    Space *s = space_new();
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "a[%d]", i);
        int a = space_add_bool(s, name, at(i + 1, 1));
        snprintf(name, sizeof name, "b[%d]", i);
        int b = space_add_bool(s, name, at(i + 1, 9));
        snprintf(name, sizeof name, "x[%d]", i);
        int x = space_add_bool(s, name, at(i + 1, 17));
        space_when(s, x, a, 1, 1);
        space_when(s, x, b, 1, 1);
    }
    return s;
}
static Space *space_pairs3(void) { return space_pairs(3); }

typedef Space *(*SpaceMaker)(void);
static const struct {
    const char *name;
    SpaceMaker make;
} SPACES[] = {
    {"oneof", space_oneof},           {"repeat", space_repeat},
    {"ranges", space_ranges},         {"big", space_big},
    {"continuous", space_continuous}, {"flat30", space_flat30},
    {"guards", space_guards},         {"pairs3", space_pairs3},
    {"picked", space_picked},         {"picked_cases", space_picked_cases},
};
#define NSPACES (int)(sizeof SPACES / sizeof *SPACES)

/* ---- brute force ---- */

/* The slot value of the pick whose elements are the bits of mask (n <= 31 here). */
static int32_t mask_value(const Space *s, int d, uint32_t mask)
{
    int elems[32], k = 0;
    for (int i = 0; i < 32; i++)
        if (mask >> i & 1) elems[k++] = i;
    return space_subset_value(s, d, elems);
}

/* Candidate slot values of decision d: -1 and every valid value. */
static int candidates(const Space *s, int d, int32_t *out)
{
    const SpaceDecision *x = space_decision(s, d);
    int n = 0;
    out[n++] = SPACE_INACTIVE;
    if (x->kind == SPACE_SUBSET) {
        for (int32_t m = 0; m < (1 << x->n); m++) /* every k-subset, by its bits */
            if (__builtin_popcount((unsigned)m) == x->k) out[n++] = mask_value(s, d, (uint32_t)m);
    } else {
        for (int32_t v = 0; v < x->arity; v++) out[n++] = v;
    }
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Counts the valid vectors of the full product; their sorted hashes go to *hashes. */
static long brute_force(const Space *s, uint64_t **hashes)
{
    int n = space_count(s);
    int32_t cand[16][128], ncand[16], idx[16] = {0}, arch[16];
    for (int d = 0; d < n; d++) ncand[d] = candidates(s, d, cand[d]);
    long count = 0, cap = 1024;
    *hashes = malloc((size_t)cap * sizeof **hashes);
    for (;;) {
        for (int d = 0; d < n; d++) arch[d] = cand[d][idx[d]];
        if (space_validate(s, arch, NULL) == SPACE_OK) {
            if (count == cap) *hashes = realloc(*hashes, (size_t)(cap *= 2) * sizeof **hashes);
            (*hashes)[count++] = space_arch_hash(s, arch);
        }
        int d = n - 1;
        while (d >= 0 && ++idx[d] == ncand[d]) idx[d--] = 0;
        if (d < 0) break;
    }
    qsort(*hashes, (size_t)count, sizeof **hashes, cmp_u64);
    return count;
}

static void test_count_and_grid(void)
{
    SpaceMaker small[] = {space_oneof,  space_repeat, space_ranges,      space_guards,
                          space_pairs3, space_picked, space_picked_cases};
    for (int i = 0; i < 7; i++) {
        Space *s = small[i]();
        uint64_t *bf;
        long expect = brute_force(s, &bf);
        char buf[64];
        bool cont = true;
        CHECK(space_size(s, buf, sizeof buf, &cont) == SPACE_OK, "space %d", i);
        CHECK(!cont, "space %d is discrete", i);
        CHECK(atol(buf) == expect, "space %d: size %s, brute force %ld", i, buf, expect);
        CHECK(fabs(space_size_log10(s) - log10((double)expect)) < 1e-9, "space %d log10", i);
        /* grid, in its stable order and in two seeded ones: exactly the brute-force set, each
         * once, all valid; the seeded orders differ from each other */
        uint64_t first[3];
        for (int seeded = 0; seeded < 3; seeded++) {
            SpaceGrid *g = space_grid_new(s, 3);
            CHECK(!seeded || space_grid_seed(g, (uint64_t)seeded) == 0, "grid seed");
            int32_t arch[16];
            long n = 0;
            uint64_t *gh = malloc((size_t)(expect + 1) * sizeof *gh);
            while (space_grid_next(g, arch) && n <= expect) {
                CHECK(space_validate(s, arch, NULL) == SPACE_OK, "grid arch %ld valid", n);
                gh[n++] = space_arch_hash(s, arch);
            }
            space_grid_free(g);
            first[seeded] = n ? gh[0] : 0;
            CHECK(n == expect, "space %d seed %d: grid gave %ld, size %ld", i, seeded, n, expect);
            qsort(gh, (size_t)n, sizeof *gh, cmp_u64);
            CHECK(n == expect && memcmp(gh, bf, (size_t)n * sizeof *gh) == 0,
                  "space %d seed %d: grid set == brute force", i, seeded);
            free(gh);
        }
        CHECK(expect < 4 || first[1] != first[2] || first[0] != first[1],
              "space %d: seeded grids start where the stable one does", i);
        free(bf);
        space_free(s);
    }
    /* hand-checked totals: oneof = (3 + (1+1+2*2) + 1) * C(4,2) = 10 * 6 = 60 */
    Space *s = space_oneof();
    char buf[64];
    space_size(s, buf, sizeof buf, NULL);
    CHECK(strcmp(buf, "60") == 0, "oneof size %s", buf);
    space_free(s);
    s = space_picked();
    space_size(s, buf, sizeof buf, NULL);
    CHECK(strcmp(buf, "56") == 0, "picked size %s", buf);
    space_free(s);
    /* 7^100, exact, and a buffer too small */
    s = space_big();
    char big[128];
    CHECK(space_size(s, big, sizeof big, NULL) == SPACE_OK, "big size");
    CHECK(strcmp(big, "3234476509624757991344647769100216810857203198904625400933895331391691459636928060001") == 0,
          "7^100 = %s", big);
    CHECK(fabs(space_size_log10(s) - 84.50980400142568) < 1e-9, "log10 7^100");
    CHECK(space_size(s, big, 10, NULL) == SPACE_E_BUFFER, "small buffer");
    space_free(s);
    /* continuous: flagged, discrete part counted: 2 * 3 = 6 */
    s = space_continuous();
    bool cont = false;
    CHECK(space_size(s, buf, sizeof buf, &cont) == SPACE_OK && cont && strcmp(buf, "6") == 0, "continuous size %s %d",
          buf, cont);
    /* grid over continuous ranges: 3 points each: lr 3 * (wd off 1 + on 3) * width 3 = 36 */
    SpaceGrid *g = space_grid_new(s, 3);
    int32_t arch[4];
    int n = 0;
    double lr_seen[3];
    while (space_grid_next(g, arch)) {
        if (n < 12 && n % 4 == 0) lr_seen[n / 4 % 3] = space_value_float(s, 0, arch[0]);
        n++;
    }
    space_grid_free(g);
    CHECK(n == 36, "continuous grid %d", n);
    CHECK(fabs(lr_seen[0] - 1e-5) < 1e-18, "grid starts at lo: %g", lr_seen[0]);
    space_free(s);
    /* beyond the bigint (4096 bits): the size says so, log10 still answers, IDs refuse */
    s = space_new();
    for (int i = 0; i < 1300; i++) space_add_int_range(s, NULL, at(i + 1, 1), 1, 1000, 1);
    CHECK(space_size(s, buf, sizeof buf, NULL) == SPACE_E_TOO_BIG, "too big");
    CHECK(fabs(space_size_log10(s) - 3900) < 1e-6, "log10 of 1000^1300: %f", space_size_log10(s));
    int32_t *huge = calloc(1300, sizeof *huge);
    for (int i = 0; i < 1300; i++) huge[i] = 999;
    char *hid = malloc(space_id_len(s));
    SpaceError herr = {0};
    CHECK(space_arch_to_id(s, huge, hid, space_id_len(s), &herr) == SPACE_E_TOO_BIG, "id too big: %s", herr.msg);
    free(huge);
    free(hid);
    space_free(s);
    s = space_flat30();
    space_size(s, buf, sizeof buf, NULL);
    CHECK(strcmp(buf, "32768000000000000000") == 0, "flat30 size %s", buf); /* 4^15 * 5^15 = 20^15 */
    space_free(s);
}

/* ---- IDs ---- */

static void test_id_roundtrip(void)
{
    for (int i = 0; i < NSPACES; i++) {
        Space *s = SPACES[i].make();
        int n = space_count(s);
        int32_t *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
        size_t cap = space_id_len(s);
        char *id = malloc(cap), *id2 = malloc(cap);
        SpaceRng r;
        space_rng_seed(&r, 1000 + (uint64_t)i);
        int bad = 0;
        for (int t = 0; t < 2000; t++) {
            space_sample(s, &r, a);
            if (t % 2) space_mutate(s, &r, a);
            SpaceError err = {0};
            if (space_arch_to_id(s, a, id, cap, &err) != SPACE_OK) {
                bad++;
                continue;
            }
            if (space_id_to_arch(s, id, b, &err) != SPACE_OK) {
                bad++;
                continue;
            }
            if (!space_arch_equal(s, a, b) || memcmp(a, b, (size_t)n * sizeof *a) != 0) {
                bad++;
                continue;
            }
            space_arch_to_id(s, b, id2, cap, NULL);
            if (strcmp(id, id2) != 0) bad++;
            /* lowercase decodes to the same architecture */
            for (char *p = id2; *p; p++)
                if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
            if (space_id_to_arch(s, id2, b, NULL) != SPACE_OK || !space_arch_equal(s, a, b)) bad++;
        }
        CHECK(bad == 0, "space %s: %d of 2000 IDs did not round-trip", SPACES[i].name, bad);
        free(a);
        free(b);
        free(id);
        free(id2);
        space_free(s);
    }
    /* the all-zero architecture of the big space and the largest one */
    Space *s = space_big();
    int32_t a[100], b[100];
    char id[128];
    for (int d = 0; d < 100; d++) a[d] = 0;
    CHECK(space_arch_to_id(s, a, id, sizeof id, NULL) == SPACE_OK && strlen(id) == 4 && id[1] == '0', "zero id %s", id);
    for (int d = 0; d < 100; d++) a[d] = 6;
    CHECK(space_arch_to_id(s, a, id, sizeof id, NULL) == SPACE_OK, "max id");
    CHECK(strlen(id) == 1 + 57 + 2, "7^100-1 needs 281 bits = 57 digits: %zu", strlen(id)); /* 3+57 */
    CHECK(space_id_to_arch(s, id, b, NULL) == SPACE_OK && memcmp(a, b, sizeof a) == 0, "max round trip");
    CHECK(space_arch_to_id(s, a, id, 20, NULL) == SPACE_E_BUFFER, "id buffer too small");
    space_free(s);
}

static void test_id_errors(void)
{
    Space *s = space_repeat();
    int32_t a[9], b[9];
    SpaceRng r;
    space_rng_seed(&r, 5);
    space_sample(s, &r, a);
    char id[64], bad[64];
    SpaceError err;
    CHECK(space_arch_to_id(s, a, id, sizeof id, &err) == SPACE_OK, "id");
    CHECK(space_id_to_arch(s, "", b, &err) == SPACE_E_ID_EMPTY, "empty");
    CHECK(space_id_to_arch(s, "10X", b, &err) == SPACE_E_ID_EMPTY, "short");
    strcpy(bad, id);
    bad[0] = '2';
    CHECK(space_id_to_arch(s, bad, b, &err) == SPACE_E_ID_VERSION && err.pos == 0, "version: %s", err.msg);
    strcpy(bad, id);
    bad[2] = 'U';
    CHECK(space_id_to_arch(s, bad, b, &err) == SPACE_E_ID_CHAR && err.pos == 2, "char U: %s", err.msg);
    CHECK(strstr(err.msg, "position 2") != NULL, "message names the position: %s", err.msg);
    strcpy(bad, id);
    bad[1] = '-';
    CHECK(space_id_to_arch(s, bad, b, &err) == SPACE_E_ID_CHAR && err.pos == 1, "char -: %s", err.msg);
    /* every single-character substitution after the version is caught by the check */
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int missed = 0, tried = 0;
    for (size_t p = 1; p < strlen(id); p++)
        for (int c = 0; c < 32; c++) {
            if (alphabet[c] == id[p]) continue;
            strcpy(bad, id);
            bad[p] = alphabet[c];
            tried++;
            SpaceStatus st = space_id_to_arch(s, bad, b, &err);
            if (st != SPACE_E_ID_CHECKSUM) missed++;
        }
    CHECK(missed == 0, "%d of %d substitutions of %s not reported as checksum errors", missed, tried, id);
    /* an ID of another space */
    Space *o = space_oneof();
    int32_t oa[5];
    space_sample(o, &r, oa);
    char oid[64];
    space_arch_to_id(o, oa, oid, sizeof oid, NULL);
    CHECK(space_id_to_arch(s, oid, b, &err) == SPACE_E_ID_CHECKSUM, "foreign id %s: %s", oid, err.msg);
    space_free(o);
    /* a number beyond the space with valid check characters: find them by trying all */
    int found = 0;
    for (int c1 = 0; c1 < 32 && !found; c1++)
        for (int c2 = 0; c2 < 32 && !found; c2++) {
            snprintf(bad, sizeof bad, "1ZZZZZZZZZZ%c%c", alphabet[c1], alphabet[c2]);
            SpaceStatus st = space_id_to_arch(s, bad, b, &err);
            if (st != SPACE_E_ID_CHECKSUM) {
                found = 1;
                CHECK(st == SPACE_E_ID_RANGE, "out of space: %s -> %s", bad, space_status_string(st));
            }
        }
    CHECK(found, "some check pair is accepted");
    /* invalid architectures are refused when encoding */
    int32_t inv[9];
    memcpy(inv, a, sizeof inv);
    inv[0] = 7;
    CHECK(space_arch_to_id(s, inv, id, sizeof id, &err) == SPACE_E_INVALID_ARCH && err.pos == 0, "bad arch: %s",
          err.msg);
    space_free(s);
}

/* ---- Sobol ---- */

static int poly_primitive(int s, int a)
{
    /* x has order 2^s - 1 modulo the polynomial x^s + a-bits + 1 */
    uint32_t poly = (1u << s) | 1;
    for (int j = 1; j < s; j++)
        if ((a >> (s - 1 - j)) & 1) poly |= 1u << (s - j);
    uint32_t order = (1u << s) - 1, x = s == 1 ? 1 : 2;
    uint32_t p = x;
    for (uint32_t e = 1; e <= order; e++) {
        if (p == 1) return e == order;
        p <<= 1;
        if (p >> s & 1) p ^= poly;
    }
    return 0;
}

static uint32_t top_bits(uint32_t v, int b) { return b ? v >> (32 - b) : 0; }

static void test_sobol(void)
{
    /* the table: polynomials are the primitive ones of each degree, in order; m_k odd, < 2^k */
    int prev_s = 0, prev_a = -1, table_ok = 1;
    for (int j = 0; j < SOBOL_DIRS_COUNT; j++) {
        const SobolDir *d = &sobol_dirs[j];
        int start = d->s == prev_s ? prev_a + 1 : 0;
        for (int a = start; a < d->a; a++)
            if (poly_primitive(d->s, a)) table_ok = 0; /* a primitive polynomial skipped */
        if (!poly_primitive(d->s, d->a) || d->s < prev_s) table_ok = 0;
        for (int k = 0; k < d->s; k++)
            if (!(d->m[k] & 1) || d->m[k] >= (1u << (k + 1))) table_ok = 0;
        prev_s = d->s;
        prev_a = d->a;
    }
    CHECK(table_ok, "Joe-Kuo table structure");
    CHECK(sobol_dirs[8].s == 5 && sobol_dirs[8].a == 7 && sobol_dirs[8].m[4] == 19, "dimension 10 row");

    /* first points: dims 1..3 as published with the table; dims 4, 5 by hand from m */
    static const double want[10][5] = {
        {0, 0, 0, 0, 0},
        {0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.25, 0.25, 0.75},
        {0.25, 0.75, 0.75, 0.75, 0.25},
        {0.375, 0.375, 0.625, 0.875, 0.375},
        {0.875, 0.875, 0.125, 0.375, 0.875},
        {0.625, 0.125, 0.875, 0.625, 0.625},
        {0.125, 0.625, 0.375, 0.125, 0.125},
        {0.1875, 0.3125, 0.9375, -1, -1},
        {0.6875, 0.8125, 0.4375, -1, -1},
    };
    Space *s = space_new();
    for (int j = 0; j < 5; j++) space_add_int_range(s, NULL, at(1, j + 1), 0, 3, 1);
    SpaceSobol *q = space_sobol_new(s, 1, NULL);
    int wrong = 0;
    for (int i = 0; i < 10; i++) {
        uint32_t x[5], y[5];
        space_sobol_next_raw(q, x, y);
        for (int j = 0; j < 5; j++)
            if (want[i][j] >= 0 && x[j] / 4294967296.0 != want[i][j]) {
                wrong++;
                fprintf(stderr, "sobol point %d dim %d: %.6f want %.6f\n", i, j + 1, x[j] / 4294967296.0, want[i][j]);
            }
    }
    CHECK(wrong == 0, "Sobol first points");
    space_sobol_free(q);
    /* mapped to slots: floor(u * 4) of the scrambled point */
    SpaceSobol *raw = space_sobol_new(s, 3, NULL);
    q = space_sobol_new(s, 3, NULL);
    int32_t arch[5];
    int misplaced = 0;
    for (int i = 0; i < 8; i++) {
        uint32_t x[5], y[5];
        space_sobol_next_raw(raw, x, y);
        space_sobol_next(q, arch);
        for (int j = 0; j < 5; j++) misplaced += arch[j] != (int32_t)(y[j] >> 30);
    }
    CHECK(misplaced == 0, "sobol slots: %d misplaced", misplaced);
    space_sobol_free(q);
    space_sobol_free(raw);
    /* the scramble: no seed proposes the origin (the all-first-value architecture) first; two
     * seeds give two sequences; each stays a (0, m, 1)-net per dimension (the first 2^m points
     * fall in 2^m distinct dyadic intervals), and the first two dimensions a (0, m, 2)-net */
    int origin_first = 0;
    for (uint64_t seed = 0; seed < 20; seed++) {
        q = space_sobol_new(s, seed, NULL);
        space_sobol_next(q, arch);
        origin_first += arch[0] == 0 && arch[1] == 0 && arch[2] == 0 && arch[3] == 0 && arch[4] == 0;
        space_sobol_free(q);
    }
    CHECK(origin_first <= 1, "%d of 20 seeds propose the all-first architecture first", origin_first);
    SpaceSobol *a = space_sobol_new(s, 1, NULL), *b = space_sobol_new(s, 2, NULL);
    int same = 0;
    for (int i = 0; i < 16; i++) {
        int32_t aa[5], bb[5];
        space_sobol_next(a, aa);
        space_sobol_next(b, bb);
        same += memcmp(aa, bb, sizeof aa) == 0;
    }
    CHECK(same < 4, "seeds 1 and 2: %d of 16 architectures the same", same);
    space_sobol_free(a);
    space_sobol_free(b);
    static uint8_t cell[5][256], box[9][256];
    q = space_sobol_new(s, 42, NULL);
    for (int i = 0; i < 256; i++) {
        uint32_t x[5], y[5];
        space_sobol_next_raw(q, x, y);
        for (int j = 0; j < 5; j++) cell[j][y[j] >> 24]++;
        for (int k = 0; k <= 8; k++) box[k][top_bits(y[0], k) << (8 - k) | top_bits(y[1], 8 - k)]++;
    }
    space_sobol_free(q);
    int crowded = 0;
    for (int j = 0; j < 5; j++)
        for (int c = 0; c < 256; c++) crowded += cell[j][c] != 1;
    for (int k = 0; k <= 8; k++)
        for (int c = 0; c < 256; c++) crowded += box[k][c] != 1;
    CHECK(crowded == 0, "scrambled Sobol is not a (0, 8, 1)-net per dimension / (0, 8, 2)-net: %d cells", crowded);
    space_free(s);
    /* covering: every value of each decision (3, 5, 7 and 10 values) within the first 2 * arity
     * points rounded up to a power of 2, for several seeds */
    s = space_new();
    const int64_t vals[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int arity[4] = {3, 5, 7, 10}, within[4] = {8, 16, 16, 32};
    for (int j = 0; j < 4; j++) space_add_ints(s, NULL, at(3, j + 1), arity[j], vals);
    int uncovered = 0;
    for (uint64_t seed = 0; seed < 8; seed++) {
        q = space_sobol_new(s, seed, NULL);
        int seen[4][10] = {{0}};
        for (int i = 0; i < 32; i++) {
            int32_t c[4];
            space_sobol_next(q, c);
            for (int j = 0; j < 4; j++)
                if (i < within[j]) seen[j][c[j]] = 1;
        }
        for (int j = 0; j < 4; j++)
            for (int v = 0; v < arity[j]; v++) uncovered += !seen[j][v];
        space_sobol_free(q);
    }
    CHECK(uncovered == 0, "Sobol covering: %d values missed", uncovered);
    space_free(s);
    /* every dimension of the table is balanced: 256 points hit each of 4 slots 64 times */
    s = space_new();
    for (int j = 0; j < SPACE_SOBOL_MAX_DIMS; j++) space_add_int_range(s, NULL, at(2, j + 1), 0, 3, 1);
    q = space_sobol_new(s, 9, NULL);
    static int hits[SPACE_SOBOL_MAX_DIMS][4];
    int32_t big[SPACE_SOBOL_MAX_DIMS];
    for (int i = 0; i < 256; i++) {
        space_sobol_next(q, big);
        for (int j = 0; j < SPACE_SOBOL_MAX_DIMS; j++) hits[j][big[j]]++;
    }
    int unbalanced = 0;
    for (int j = 0; j < SPACE_SOBOL_MAX_DIMS; j++)
        for (int v = 0; v < 4; v++) unbalanced += hits[j][v] != 64;
    CHECK(unbalanced == 0, "Sobol stratification over 128 dims");
    space_sobol_free(q);
    /* more decisions than the table: a clear error */
    space_add_bool(s, "extra", NOLOC);
    SpaceError err = {0};
    CHECK(space_sobol_new(s, 1, &err) == NULL && err.code == SPACE_E_DIMS, "too many dims: %s", err.msg);
    space_free(s);
    /* conditional decisions stay canonical */
    s = space_repeat();
    q = space_sobol_new(s, 1, NULL);
    int32_t ra[9];
    int invalid = 0;
    for (int i = 0; i < 200; i++) {
        space_sobol_next(q, ra);
        invalid += space_validate(s, ra, NULL) != SPACE_OK;
    }
    CHECK(invalid == 0, "Sobol archs valid");
    space_sobol_free(q);
    space_free(s);
}

/* ---- evolution ---- */

static void test_mutate_crossover(void)
{
    for (int i = 0; i < NSPACES; i++) {
        Space *s = SPACES[i].make();
        int n = space_count(s);
        int32_t *a = malloc((size_t)n * sizeof *a), *before = malloc((size_t)n * sizeof *a);
        int32_t *b = malloc((size_t)n * sizeof *b), *c = malloc((size_t)n * sizeof *c);
        SpaceRng r;
        space_rng_seed(&r, 77 + (uint64_t)i);
        int bad = 0, crossbad = 0;
        for (int t = 0; t < 2000; t++) {
            space_sample(s, &r, a);
            memcpy(before, a, (size_t)n * sizeof *a);
            int d = space_mutate(s, &r, a);
            if (d < 0 || space_validate(s, a, NULL) != SPACE_OK) {
                bad++;
                continue;
            }
            if (before[d] == a[d] || a[d] == SPACE_INACTIVE) {
                bad++;
                continue;
            }
            for (int j = 0; j < n; j++) /* every other decision active before and after is kept */
                if (j != d && before[j] != SPACE_INACTIVE && a[j] != SPACE_INACTIVE && before[j] != a[j]) bad++;
            space_sample(s, &r, b);
            space_crossover(s, &r, a, b, c);
            if (space_validate(s, c, NULL) != SPACE_OK) crossbad++;
            for (int j = 0; j < n; j++)
                if (c[j] != SPACE_INACTIVE && a[j] != SPACE_INACTIVE && b[j] != SPACE_INACTIVE && c[j] != a[j] &&
                    c[j] != b[j])
                    crossbad++;
            space_crossover(s, &r, a, b, a); /* aliasing output and parent */
            if (space_validate(s, a, NULL) != SPACE_OK) crossbad++;
        }
        CHECK(bad == 0, "space %s: %d bad mutations", SPACES[i].name, bad);
        CHECK(crossbad == 0, "space %s: %d bad crossovers", SPACES[i].name, crossbad);
        free(a);
        free(before);
        free(b);
        free(c);
        space_free(s);
    }
    /* a space where nothing can move */
    Space *s = space_new();
    space_add_ints(s, "only", NOLOC, 1, (const int64_t[]){4});
    int32_t a[1] = {0};
    SpaceRng r;
    space_rng_seed(&r, 1);
    CHECK(space_mutate(s, &r, a) == -SPACE_E_NO_MOVE, "no move");
    space_free(s);
}

/* Moves within a feasible set (space_set_sampler's member): a + b <= *limit on two 10-value
 * decisions, the sampler uniform over the pairs within it. */
static bool sum_within(const void *ctx, const int32_t *arch) { return arch[0] + arch[1] <= *(const int *)ctx; }
static void sum_sample(const void *ctx, SpaceRng *r, int32_t *arch)
{
    int limit = *(const int *)ctx, n = (limit + 1) * (limit + 2) / 2, k = (int)space_rng_below(r, (uint32_t)n);
    for (arch[0] = 0; k > limit - arch[0]; arch[0]++) k -= limit - arch[0] + 1;
    arch[1] = k;
}

static void test_moves_feasible(void)
{
    static const int64_t ten[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    Space *s = space_new();
    space_add_ints(s, "a", NOLOC, 10, ten);
    space_add_ints(s, "b", NOLOC, 10, ten);
    int limit = 6;
    space_set_sampler(s, sum_sample, sum_within, &limit);
    SpaceRng r, r2;
    space_rng_seed(&r, 5);
    space_rng_seed(&r2, 5);
    /* From (2, 2) the feasible moves are a or b to 0, 1, 3, 4: each 1/8 (the plain move's
     * distribution conditioned on feasibility). */
    int seen[10][10] = {{0}}, bad = 0, nondet = 0;
    enum { N = 16000 };
    for (int t = 0; t < N; t++) {
        int32_t x[2] = {2, 2}, y[2] = {2, 2};
        int d = space_mutate(s, &r, x);
        if (t < 100) nondet += space_mutate(s, &r2, y) != d || x[0] != y[0] || x[1] != y[1];
        bad += d < 0 || !sum_within(&limit, x) || (x[0] != 2) + (x[1] != 2) != 1;
        if (d >= 0) seen[x[0]][x[1]]++;
    }
    CHECK(bad == 0, "feasible mutation: %d moves infeasible or not one decision", bad);
    CHECK(nondet == 0, "feasible mutation: the same seed moved otherwise");
    int off = 0;
    for (int v = 0; v <= 4; v++) {
        if (v == 2) continue;
        double mean = N / 8.0, sd = sqrt(N / 8.0 * 7 / 8);
        off += fabs(seen[v][2] - mean) > 5 * sd || fabs(seen[2][v] - mean) > 5 * sd;
    }
    CHECK(off == 0, "feasible mutation: moves not uniform among the feasible ones");
    /* No feasible move from (0, 0) under a + b <= 0: a fresh feasible sample, NO_MOVE. */
    limit = 0;
    int32_t z[2] = {0, 0};
    CHECK(space_mutate(s, &r, z) == -SPACE_E_NO_MOVE && z[0] == 0 && z[1] == 0, "no feasible move: (%d, %d)", z[0],
          z[1]);
    /* Crossover of (6, 0) and (0, 6) under a + b <= 6: never (6, 6), also into a parent. */
    limit = 6;
    int crossbad = 0;
    for (int t = 0; t < 1000; t++) {
        int32_t a[2] = {6, 0}, b[2] = {0, 6}, c[2];
        space_crossover(s, &r, a, b, c);
        space_crossover(s, &r, a, b, a);
        crossbad += !sum_within(&limit, c) || !sum_within(&limit, a);
    }
    CHECK(crossbad == 0, "feasible crossover: %d infeasible children", crossbad);
    CHECK(space_feasible(s, (const int32_t[]){3, 3}) && !space_feasible(s, (const int32_t[]){3, 4}), "space_feasible");
    space_set_sampler(s, NULL, NULL, NULL);
    CHECK(space_feasible(s, (const int32_t[]){9, 9}), "no member: every architecture feasible");
    space_free(s);
}

/* ---- determinism, hashing, values ---- */

static void test_determinism(void)
{
    Space *s = space_oneof();
    int32_t a[5];
    SpaceRng r;
    space_rng_seed(&r, 42);
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < 1000; i++) {
        space_sample(s, &r, a);
        h = (h ^ space_arch_hash(s, a)) * 0x100000001b3ull;
    }
    CHECK(h == 0x7f341d942578fd2bull, "hash of first 1000 samples: 0x%016llxull", (unsigned long long)h);
    space_rng_seed(&r, 42);
    /* xoshiro256** seeded by splitmix64(42): recomputed independently in Python */
    CHECK(space_rng_next(&r) == 0x15780b2e0c2ec716ull, "first xoshiro output: 0x%016llxull",
          (unsigned long long)(space_rng_seed(&r, 42), space_rng_next(&r)));
    /* inactive slots do not matter to equality and hash; canonicalize fixes them */
    int32_t x[5] = {2, 1, 3, 0, 3}, y[5] = {2, -1, -1, -1, 3}; /* op = identity */
    CHECK(space_arch_equal(s, x, y) && space_arch_hash(s, x) == space_arch_hash(s, y), "canonical view");
    CHECK(space_validate(s, x, NULL) == SPACE_E_INVALID_ARCH, "non-canonical is invalid");
    space_canonicalize(s, x);
    CHECK(memcmp(x, y, sizeof x) == 0 && space_validate(s, x, NULL) == SPACE_OK, "canonicalize");
    CHECK(!space_is_active(s, x, 1) && space_is_active(s, x, 4), "activity");
    space_free(s);
}

static void test_table(void)
{
    Space *s = space_oneof();
    char buf[64];
    CHECK(space_find(s, "units") == 2 && space_find(s, "nope") == -1, "find");
    CHECK(space_value_int(s, 2, 3) == 10, "units[3] = 10");
    space_value_format(s, 4, mask_value(s, 4, 0x5), buf, sizeof buf);
    CHECK(strcmp(buf, "{a,c}") == 0, "subset format %s", buf);
    space_value_format(s, 0, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "mlp") == 0, "label format %s", buf);
    CHECK(space_add_bool(s, "op", NOLOC) == -SPACE_E_DUPLICATE, "duplicate");
    CHECK(space_add_int_range(s, "x", NOLOC, 5, 1, 1) == -SPACE_E_ARG, "lo > hi");
    CHECK(space_add_subset(s, "y", NOLOC, 3, SPACE_SUBSET_MAX_N + 1, NULL) == -SPACE_E_SUBSET_N, "n > max");
    CHECK(space_add_subset(s, "y", NOLOC, 16, 40, NULL) == -SPACE_E_ARITY, "C(40, 16) > 2^31 - 1 picks");
    CHECK(space_add_subset(s, "y", NOLOC, 4, 1024, NULL) == -SPACE_E_ARITY, "C(1024, 4) > 2^31 - 1 picks");
    CHECK(space_add_int_range(s, "z", NOLOC, 0, (int64_t)1 << 31, 1) == -SPACE_E_ARITY, "2^31 + 1 values");
    CHECK(space_when(s, 0, 1, 0, 0) == SPACE_E_PARENT, "parent after child");
    CHECK(space_when(s, 4, 3, 0, 5) == SPACE_E_ARG, "interval beyond parent arity");
    CHECK(space_when(s, 2, 1, 0, 0) == SPACE_OK && space_decision(s, 2)->nguard == 2 &&
              space_decision(s, 2)->parent == 1 && space_decision(s, 2)->guards[1].parent == 0,
          "a second parent adds a guard, the latest parent first");
    int d = space_add_bool(s, NULL, at(12, 9));
    CHECK(d >= 0 && strcmp(space_decision(s, d)->name, "choice@12:9") == 0, "derived name");
    CHECK(space_when(s, d, 4, 1, 2) == SPACE_E_ARG, "subset parent: one element, not a range");
    CHECK(space_when(s, d, 4, 4, 4) == SPACE_E_ARG, "subset parent: element beyond n");
    CHECK(space_when(s, d, 4, 3, 3) == SPACE_OK && space_when(s, d, 4, 1, 1) == SPACE_E_ARG,
          "subset parent: one element only");
    int32_t arch[6] = {0, -1, -1, -1, mask_value(s, 4, 0x5), 0};
    CHECK(space_is_active(s, arch, d) == false, "{a,c} does not pick d");
    arch[4] = mask_value(s, 4, 0x9);
    CHECK(space_is_active(s, arch, d) == true, "{a,d} picks d");
    space_free(s);
    s = space_ranges();
    CHECK(space_decision(s, 0)->arity == 5 && space_decision(s, 1)->arity == 4, "float step arities");
    CHECK(fabs(space_value_float(s, 0, 4) - 0.5) < 1e-12 && fabs(space_value_float(s, 1, 3) - 0.1) < 1e-12,
          "float grid values");
    const SpaceDecision *c = space_decision(s, 3);
    CHECK(c->ncond == 2 && c->cond[0].lo == 3 && c->cond[0].hi == 11 && c->cond[1].lo == 60, "merged intervals");
    space_free(s);
    s = space_continuous();
    CHECK(space_value_float(s, 0, SPACE_FINE_POINTS - 1) == 1.0 && fabs(space_value_float(s, 0, 0) - 1e-5) < 1e-18,
          "continuous ends");
    space_free(s);
}

static void test_json(void)
{
    Space *s = space_oneof();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    space_write_json(s, f);
    fclose(f);
    CHECK(strstr(text, "\"name\": \"kernel\", \"kind\": \"categorical\"") != NULL, "json kernel: %s", text);
    CHECK(strstr(text, "\"parent\": 0, \"when\": [[0, 0]]") != NULL, "json condition");
    CHECK(strstr(text, "\"values\": [\"conv\", \"mlp\", \"identity\"]") != NULL, "json labels");
    CHECK(strstr(text, "\"size\": \"60\"") != NULL, "json size");
    CHECK(strstr(text, "\"file\": \"t.nas\", \"line\": 3, \"col\": 9") != NULL, "json loc");
    free(text);
    space_free(s);
    s = space_picked();
    f = open_memstream(&text, &len);
    space_write_json(s, f);
    fclose(f);
    CHECK(strstr(text, "\"name\": \"k2\"") && strstr(text, "\"parent\": 0, \"when_picked\": 2}"),
          "json element condition: %s", text);
    free(text);
    space_free(s);
}

/* Draws 400 per architecture of s (total of them) with the given sampling and counts the
 * architectures drawn outside 5 sigma of 400; *first0: draws with decision 0 at value 0. */
static int uniform_off(Space *s, int total, SpaceSampling how, int *first0)
{
    int n = space_count(s);
    uint64_t *hashes = malloc(sizeof *hashes * (size_t)total);
    int32_t *arch = malloc(sizeof *arch * (size_t)n);
    SpaceGrid *g = space_grid_new(s, 1);
    int k = 0;
    while (k < total && space_grid_next(g, arch)) hashes[k++] = space_arch_hash(s, arch);
    space_grid_free(g);
    qsort(hashes, (size_t)total, sizeof *hashes, cmp_u64);
    CHECK(space_set_sampling(s, how) == SPACE_OK, "set sampling");
    int *seen = calloc((size_t)total, sizeof *seen), draws = 400 * total, bad = 0;
    *first0 = 0;
    SpaceRng r;
    space_rng_seed(&r, 7);
    for (int i = 0; i < draws; i++) {
        space_sample(s, &r, arch);
        bad += space_validate(s, arch, NULL) != SPACE_OK;
        uint64_t h = space_arch_hash(s, arch);
        uint64_t *at = bsearch(&h, hashes, (size_t)total, sizeof h, cmp_u64);
        if (at) seen[at - hashes]++;
        *first0 += arch[0] == 0;
    }
    CHECK(bad == 0, "%d sampled architectures invalid", bad);
    int off = 0;
    for (int i = 0; i < total; i++) off += seen[i] < 400 - 5 * 20 || seen[i] > 400 + 5 * 20;
    free(seen);
    free(hashes);
    free(arch);
    return off;
}

/* Uniform sampling over architectures: on a three-level conditional space (depth -> width ->
 * kernel: 4 + 16 + 64 + 256 = 340 architectures) every architecture is drawn within 5 sigma
 * of 1/340 of the draws; per-decision sampling instead gives each depth a quarter. */
static void test_uniform(void)
{
    Space *s = space_repeat();
    char size[32];
    CHECK(space_size(s, size, sizeof size, NULL) == SPACE_OK && strcmp(size, "340") == 0, "340 architectures");
    int draws = 400 * 340, depth1;
    CHECK(uniform_off(s, 340, SPACE_SAMPLE_UNIFORM, &depth1) == 0, "uniform: every architecture within 5 sigma");
    CHECK(depth1 > draws / 85 - 300 && depth1 < draws / 85 + 300, "uniform: depth 1 in 4 of 340");
    CHECK(uniform_off(s, 340, SPACE_SAMPLE_DECISIONS, &depth1) > 0, "per decision: far from uniform");
    CHECK(depth1 > draws / 4 - 1000 && depth1 < draws / 4 + 1000, "per decision: depth 1 a quarter");
    space_free(s);
}

/* An exact space of `size` architectures: the size, every architecture's ID round trip
 * (distinct IDs = the size: a bijection), uniform sampling within 5 sigma. */
static void check_exact(Space *s, const char *what, long size)
{
    char buf[64];
    CHECK(space_size(s, buf, sizeof buf, NULL) == SPACE_OK && atol(buf) == size, "%s size %s (%ld)", what, buf, size);
    CHECK(fabs(space_size_log10(s) - log10((double)size)) < 1e-9, "%s log10", what);
    uint64_t *bf;
    long expect = brute_force(s, &bf);
    free(bf);
    int n = space_count(s);
    int32_t arch[16], back[16];
    char(*ids)[32] = malloc(sizeof *ids * (size_t)expect);
    SpaceGrid *g = space_grid_new(s, 1);
    long k = 0, bad = 0;
    while (k < expect && space_grid_next(g, arch)) {
        SpaceError err = {0};
        bad += space_arch_to_id(s, arch, ids[k], sizeof ids[k], &err) != SPACE_OK ||
               space_id_to_arch(s, ids[k], back, &err) != SPACE_OK || memcmp(arch, back, sizeof *arch * (size_t)n);
        k++;
    }
    space_grid_free(g);
    qsort(ids, (size_t)k, sizeof *ids, (int (*)(const void *, const void *))strcmp);
    long distinct = k > 0;
    for (long i = 1; i < k; i++) distinct += strcmp(ids[i], ids[i - 1]) != 0;
    CHECK(bad == 0 && distinct == expect && expect == size, "%s IDs: %ld bad, %ld distinct of %ld", what, bad, distinct,
          expect);
    free(ids);
    int first0;
    CHECK(uniform_off(s, (int)size, SPACE_SAMPLE_UNIFORM, &first0) == 0, "%s uniform: within 5 sigma", what);
    CHECK(space_set_sampling(s, SPACE_SAMPLE_DECISIONS) == SPACE_OK, "back to per decision");
}

/* Guards over several parents: exact (hand counts), the op == 1 share of uniform draws, the
 * cases limit, independent groups past it, JSON. */
static void test_guards(void)
{
    Space *s = space_guards();
    char buf[64];
    check_exact(s, "guards", 90);
    int op1;
    CHECK(uniform_off(s, 90, SPACE_SAMPLE_UNIFORM, &op1) == 0, "guards uniform: every architecture within 5 sigma");
    CHECK(op1 > 400 * 42 - 5 * 95 && op1 < 400 * 42 + 5 * 95, "guards uniform: op == 1 in 42 of 90: %d", op1);
    CHECK(uniform_off(s, 90, SPACE_SAMPLE_DECISIONS, &op1) > 0, "guards per decision: far from uniform");
    space_free(s);
    /* a subset in a group of cases: its pick tables per case (a = 0 in 3 of 28) */
    s = space_picked_cases();
    check_exact(s, "picked_cases", 28);
    CHECK(uniform_off(s, 28, SPACE_SAMPLE_UNIFORM, &op1) == 0, "picked_cases uniform: within 5 sigma");
    CHECK(op1 > 400 * 3 - 5 * 33 && op1 < 400 * 3 + 5 * 33, "picked_cases uniform: a == 0 in 3 of 28: %d", op1);
    /* refused, the table unchanged: a second guard on an element's decision (either order),
     * and a second guard whose parent lies inside an element (y2 under t, then extra); a
     * first guard inside an element with a second outside is counted (y: b == 1 and t: +2) */
    int k0 = space_find(s, "k0"), t = space_find(s, "t"), extra = space_find(s, "extra");
    int y = space_add_bool(s, "y", at(8, 1)), y2 = space_add_bool(s, "y2", at(9, 1));
    CHECK(space_when(s, k0, 1, 0, 0) == SPACE_E_SUBSET_GUARD && space_decision(s, k0)->nguard == 1, "k0 and b");
    CHECK(space_when(s, y, 1, 1, 1) == SPACE_OK && space_when(s, y, 2, 0, 0) == SPACE_E_SUBSET_GUARD &&
              space_decision(s, y)->nguard == 1,
          "y under b, then an element");
    CHECK(space_when(s, y, t, 1, 1) == SPACE_OK && space_decision(s, y)->nguard == 2, "y under b and t");
    CHECK(space_when(s, y2, t, 1, 1) == SPACE_OK && space_when(s, y2, extra, 1, 1) == SPACE_E_SUBSET_GUARD &&
              space_decision(s, y2)->nguard == 1,
          "y2 under t, then extra");
    check_exact(s, "picked_cases + y, y2", 38); /* y2 under t: 4 + 4 more */
    CHECK(uniform_off(s, 38, SPACE_SAMPLE_UNIFORM, &op1) == 0, "picked_cases + y, y2 uniform: within 5 sigma");
    space_free(s);
    s = space_pairs3();
    check_exact(s, "pairs3", 125);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    space_write_json(s, f);
    fclose(f);
    CHECK(strstr(text, "\"parent\": 1, \"when\": [[1, 1]], \"and\": [{\"parent\": 0, \"when\": [[1, 1]]}]"),
          "json guards: %s", text);
    free(text);
    space_free(s);
    /* a decision guarded by 14 bools: the second parents make 2^13 cases, refused, the
     * table unchanged (13 guards: 2^12 cases, the limit) */
    s = space_new();
    for (int i = 0; i < 14; i++) space_add_bool(s, NULL, at(i + 1, 1));
    int d = space_add_bool(s, "last", at(15, 1));
    for (int i = 0; i < 13; i++) CHECK(space_when(s, d, i, 1, 1) == SPACE_OK, "guard %d", i);
    CHECK(space_when(s, d, 13, 1, 1) == SPACE_E_CASES && space_decision(s, d)->nguard == 13, "cases limit");
    CHECK(space_size(s, buf, sizeof buf, NULL) == SPACE_OK && strcmp(buf, "16386") == 0, "2^14 + 2: %s", buf);
    space_free(s);
    /* 13 independent pairs: 2 cases each, 2^13 if they were counted together; per group they
     * fit. x[0] is on in 2 of each pair's 5 architectures. */
    s = space_pairs(13);
    CHECK(space_size(s, buf, sizeof buf, NULL) == SPACE_OK && strcmp(buf, "1220703125") == 0, "5^13: %s", buf);
    CHECK(space_set_sampling(s, SPACE_SAMPLE_UNIFORM) == SPACE_OK, "uniform over 13 groups");
    SpaceRng r;
    space_rng_seed(&r, 3);
    int32_t a[39];
    int on = 0, bad = 0, draws = 50000;
    for (int i = 0; i < draws; i++) {
        space_sample(s, &r, a);
        bad += space_validate(s, a, NULL) != SPACE_OK;
        on += a[2] != SPACE_INACTIVE;
    }
    /* p = 2/5, sigma = sqrt(50000 * 0.4 * 0.6) = 110 */
    CHECK(bad == 0 && on > 20000 - 5 * 110 && on < 20000 + 5 * 110, "x[0] on in 2 of 5: %d of %d", on, draws);
    space_free(s);
}

/* space_value_parse is space_value_format's inverse: every slot of every decision of the test
 * spaces reads back from its text (a subset's elements also in another order, and by number
 * when unlabelled); texts no value has are refused, and a number matches by value. */
static void test_value_parse(void)
{
    for (int i = 0; i < NSPACES; i++) {
        Space *s = SPACES[i].make();
        int bad = 0;
        for (int d = 0; d < space_count(s); d++) {
            const SpaceDecision *x = space_decision(s, d);
            int32_t slots = x->continuous ? 50 : x->arity;
            for (int32_t v = 0; v < slots; v++) {
                char text[256];
                int32_t got = -1;
                space_value_format(s, d, v, text, sizeof text);
                if (space_value_parse(s, d, text, &got, NULL) != SPACE_OK || got != v) bad++;
            }
            int32_t got;
            SpaceError e;
            CHECK(space_value_parse(s, d, "no such value", &got, &e) == SPACE_E_ARG && strstr(e.msg, x->name),
                  "space %s, %s: a foreign text refused (%s)", SPACES[i].name, x->name, e.msg);
        }
        CHECK(bad == 0, "space %s: %d values did not read back from their text", SPACES[i].name, bad);
        space_free(s);
    }
    Space *s = space_oneof();
    int32_t v = -1;
    int skip = space_find(s, "skip"), kernel = space_find(s, "kernel");
    CHECK(space_value_parse(s, skip, "{d,b}", &v, NULL) == SPACE_OK && v == mask_value(s, skip, 0xA),
          "subset in any order: %d", v);
    CHECK(space_value_parse(s, skip, "{a,b,c}", &v, NULL) == SPACE_E_ARG, "a subset of 3 of a 2-subset refused");
    CHECK(space_value_parse(s, skip, "{a,a}", &v, NULL) == SPACE_E_ARG, "an element twice refused");
    CHECK(space_value_parse(s, kernel, "5.0", &v, NULL) == SPACE_OK && v == 1, "5.0 is the kernel 5: %d", v);
    CHECK(space_value_parse(s, kernel, "4", &v, NULL) == SPACE_E_ARG, "no kernel 4");
    space_free(s);
    s = space_new(); /* labels are source text: commas inside, one a prefix of another */
    int sk = space_add_subset(s, "sk", NOLOC, 2, 3, (const char *const[]){"f(x, 1)", "f(x, 1), g", "h"});
    CHECK(space_value_parse(s, sk, "{h,f(x, 1), g}", &v, NULL) == SPACE_OK && v == mask_value(s, sk, 0x6) &&
              space_value_parse(s, sk, "{f(x, 1),h}", &v, NULL) == SPACE_OK && v == mask_value(s, sk, 0x5),
          "labels with commas read back: %d", v);
    space_free(s);
}

/* Uniform sampling over a subset whose elements hold decisions: a pick weighs the product of
 * its elements' counts (the elementary-symmetric table), so each of the 56 architectures is
 * drawn within 5 sigma of 1/56 of the draws, and the pick {e0,e3} (24 architectures) 24/56. */
static void test_uniform_picked(void)
{
    Space *s = space_picked();
    enum { TOTAL = 56, PER = 400 };
    int n = space_count(s);
    uint64_t hashes[TOTAL];
    int32_t arch[8];
    SpaceGrid *g = space_grid_new(s, 1);
    int k = 0;
    while (k < TOTAL && space_grid_next(g, arch)) hashes[k++] = space_arch_hash(s, arch);
    space_grid_free(g);
    CHECK(k == TOTAL && n <= 8, "grid of 56");
    qsort(hashes, TOTAL, sizeof *hashes, cmp_u64);
    CHECK(space_set_sampling(s, SPACE_SAMPLE_UNIFORM) == SPACE_OK, "set sampling");
    int seen[TOTAL] = {0}, e0e3 = 0, invalid = 0, unknown = 0;
    SpaceRng r;
    space_rng_seed(&r, 11);
    for (int i = 0; i < PER * TOTAL; i++) {
        space_sample(s, &r, arch);
        invalid += space_validate(s, arch, NULL) != SPACE_OK;
        uint64_t h = space_arch_hash(s, arch);
        uint64_t *hit = bsearch(&h, hashes, TOTAL, sizeof h, cmp_u64);
        if (hit) seen[hit - hashes]++;
        else unknown++;
        e0e3 += arch[0] == mask_value(s, 0, 0x9);
    }
    int off = 0;
    for (int i = 0; i < TOTAL; i++) off += seen[i] < PER - 5 * 20 || seen[i] > PER + 5 * 20;
    CHECK(invalid == 0 && unknown == 0, "uniform picked: %d invalid, %d unknown", invalid, unknown);
    CHECK(off == 0, "uniform picked: %d architectures beyond 5 sigma", off);
    CHECK(abs(e0e3 - 24 * PER) < 5 * 98, "uniform picked: {e0,e3} drawn %d times, expected %d", e0e3, 24 * PER);
    space_free(s);
}

/* Subset slots are colex ranks: against the definition (rank = sum of C(e_i, i) over the
 * ascending elements, binomials in doubles here), every k-subset of small n by its bits maps
 * to a distinct rank below C(n, k), reads back (picks, has), swaps to the rank of the swapped
 * set; and at the extremes of a wide subset (C(100, 4) = 3921225, C(40, 6) = 3838380;
 * python3 -c "import math; print(math.comb(100, 4), math.comb(40, 6))") the first and last
 * picks, their IDs round trip. */
static double binom_d(int n, int k)
{
    double c = 1;
    for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
    return k < 0 || k > n ? 0 : c;
}

static void test_subset_ranks(void)
{
    int bad = 0;
    for (int n = 1; n <= 9; n++)
        for (int k = 0; k <= n; k++) {
            Space *s = space_new();
            int d = space_add_subset(s, "x", NOLOC, k, n, NULL);
            CHECK(d == 0 && space_decision(s, d)->arity == (int32_t)binom_d(n, k), "C(%d, %d) picks", n, k);
            char *seen = calloc((size_t)space_decision(s, d)->arity, 1);
            for (uint32_t m = 0; m < (1u << n); m++) {
                if (__builtin_popcount(m) != k) continue;
                int32_t v = mask_value(s, d, m);
                double want = 0;
                int e[32], picks[32], j = 0;
                for (int i = 0; i < n; i++)
                    if (m >> i & 1) e[j] = i, want += binom_d(i, ++j);
                bad += v != (int32_t)want || v < 0 || v >= space_decision(s, d)->arity || seen[v]++;
                bad += space_subset_picks(s, d, v, picks) != k || memcmp(picks, e, sizeof *e * (size_t)k) != 0;
                for (int i = 0; i < n; i++) bad += space_subset_has(s, d, v, i) != (bool)(m >> i & 1);
                if (k > 0 && k < n) { /* drop the lowest picked, add the lowest unpicked */
                    int drop = __builtin_ctz(m), add = __builtin_ctz(~m);
                    bad += space_subset_swap(s, d, v, drop, add) != mask_value(s, d, (m & ~(1u << drop)) | 1u << add);
                }
            }
            free(seen);
            space_free(s);
        }
    CHECK(bad == 0, "colex ranks of every k-subset, n <= 9: %d wrong", bad);
    struct {
        int k, n;
        int32_t picks;
    } wide[] = {{4, 100, 3921225}, {6, 40, 3838380}, {1, 1024, 1024}, {1022, 1024, 523776}};
    for (size_t w = 0; w < sizeof wide / sizeof *wide; w++) {
        Space *s = space_new();
        int k = wide[w].k, n = wide[w].n, d = space_add_subset(s, "x", NOLOC, k, n, NULL);
        space_add_bool(s, "b", NOLOC);
        CHECK(d == 0 && space_decision(s, 0)->arity == wide[w].picks, "C(%d, %d) = %d", n, k, wide[w].picks);
        char buf[64];
        CHECK(space_size(s, buf, sizeof buf, NULL) == SPACE_OK && atol(buf) == 2L * wide[w].picks, "size %s", buf);
        int32_t ends[2] = {0, wide[w].picks - 1};
        for (int i = 0; i < 2; i++) {
            int picks[1024], bk = space_subset_picks(s, 0, ends[i], picks), ok = bk == k;
            for (int j = 0; j < k && ok; j++) ok = picks[j] == (i == 0 ? j : n - k + j); /* first k, last k */
            int32_t arch[2] = {ends[i], 1}, back[2];
            char id[64];
            ok = ok && space_arch_to_id(s, arch, id, sizeof id, NULL) == SPACE_OK &&
                 space_id_to_arch(s, id, back, NULL) == SPACE_OK && back[0] == arch[0] && back[1] == 1;
            CHECK(ok, "%d of %d: pick %d is the %s k elements, ID round trip", k, n, ends[i], i ? "last" : "first");
        }
        space_free(s);
    }
}

int main(void)
{
    test_subset_ranks();
    test_uniform();
    test_guards();
    test_uniform_picked();
    test_count_and_grid();
    test_id_roundtrip();
    test_id_errors();
    test_sobol();
    test_mutate_crossover();
    test_moves_feasible();
    test_determinism();
    test_table();
    test_json();
    test_value_parse();
    printf("space_test: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
