/* weights.c — safetensors files of a graph's parameters and state (weights.h), and the
 * SHA-256 the store records for each (FIPS 180-4; `sha256sum FILE` gives the same). */
#include "weights.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian; this file copies floats as they are in memory"
#endif

static int failf(char *err, size_t n, const char *path, const char *what)
{
    snprintf(err, n, "%s: %s", path, what);
    return -1;
}

/* The forward node that reads v first, and v's role there. */
void weights_name(const Graph *g, int v, char name[WEIGHTS_NAME_MAX])
{
    name[0] = 0;
    const GraphValue *val = &g->values[v];
    if (val->storage != GSTORE_PARAM && val->storage != GSTORE_STATE) return;
    for (int i = 0; i < g->nfwd; i++)
        for (int k = 0; k < g->nodes[i].nin; k++)
            if (g->nodes[i].in[k] == v) {
                snprintf(name, WEIGHTS_NAME_MAX, "n%d.%s", i, val->name ? val->name : "p");
                return;
            }
}

static bool is_weight(const Graph *g, int v)
{
    GraphStorage s = g->values[v].storage;
    return s == GSTORE_PARAM || s == GSTORE_STATE;
}

static const float *value_data(const Graph *g, int v, const float *params, const float *state)
{
    return (g->values[v].storage == GSTORE_PARAM ? params : state) + g->values[v].flat;
}

int weights_save(const Graph *g, const float *params, const float *state, const char *const *meta, const char *path,
                 char *err, size_t errsize)
{
    cJSON *h = cJSON_CreateObject();
    if (!h) return failf(err, errsize, path, "out of memory");
    cJSON *md = cJSON_AddObjectToObject(h, "__metadata__");
    for (int i = 0; meta && meta[i] && meta[i + 1]; i += 2) cJSON_AddStringToObject(md, meta[i], meta[i + 1]);
    int64_t off = 0;
    for (int v = 0; v < g->nvalues; v++) {
        if (!is_weight(g, v)) continue;
        char name[WEIGHTS_NAME_MAX];
        weights_name(g, v, name);
        int64_t dims[GRAPH_MAX_RANK + 1];
        int rank = graph_value_dims(g, v, 1, dims);
        int64_t bytes = graph_shape_numel(&g->values[v].shape, 1) * 4;
        cJSON *t = cJSON_AddObjectToObject(h, name);
        cJSON_AddStringToObject(t, "dtype", "F32");
        cJSON *shape = cJSON_AddArrayToObject(t, "shape");
        for (int d = 0; d < rank; d++) cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)dims[d]));
        cJSON *range = cJSON_AddArrayToObject(t, "data_offsets");
        cJSON_AddItemToArray(range, cJSON_CreateNumber((double)off));
        cJSON_AddItemToArray(range, cJSON_CreateNumber((double)(off + bytes)));
        off += bytes;
    }
    char *text = cJSON_PrintUnformatted(h);
    cJSON_Delete(h);
    if (!text) return failf(err, errsize, path, "out of memory");
    /* the header is padded with spaces so the data starts 8-byte aligned (as the format advises) */
    size_t hlen = strlen(text), padded = (hlen + 7) / 8 * 8;
    unsigned char len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (unsigned char)((uint64_t)padded >> (8 * i));
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(text);
        snprintf(err, errsize, "%s: cannot write: %s", tmp, strerror(errno));
        return -1;
    }
    bool ok = fwrite(len8, 1, 8, f) == 8 && fwrite(text, 1, hlen, f) == hlen;
    for (size_t i = hlen; ok && i < padded; i++) ok = fputc(' ', f) != EOF;
    free(text);
    for (int v = 0; ok && v < g->nvalues; v++) {
        if (!is_weight(g, v)) continue;
        size_t n = (size_t)graph_shape_numel(&g->values[v].shape, 1);
        ok = fwrite(value_data(g, v, params, state), 4, n, f) == n;
    }
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    if (fclose(f) != 0) ok = false;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static char *read_all(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf) failf(err, errsize, path, "cannot read");
    *len = (size_t)n;
    return buf;
}

int weights_load(const Graph *g, float *params, float *state, const char *path, char *err, size_t errsize)
{
    size_t len;
    char *buf = read_all(path, &len, err, errsize);
    if (!buf) return -1;
    uint64_t hlen = 0;
    for (int i = 0; len >= 8 && i < 8; i++) hlen |= (uint64_t)(unsigned char)buf[i] << (8 * i);
    if (len < 8 || hlen > len - 8) {
        free(buf);
        return failf(err, errsize, path, "not a safetensors file (bad header length)");
    }
    cJSON *h = cJSON_ParseWithLength(buf + 8, (size_t)hlen);
    const char *data = buf + 8 + hlen;
    size_t dlen = len - 8 - (size_t)hlen;
    int rc = 0, matched = 0;
    char why[200] = "";
    if (!cJSON_IsObject(h)) {
        snprintf(why, sizeof why, "not a safetensors file (the header is not a JSON object)");
        rc = -1;
    }
    for (int v = 0; rc == 0 && v < g->nvalues; v++) {
        if (!is_weight(g, v)) continue;
        char name[WEIGHTS_NAME_MAX];
        weights_name(g, v, name);
        cJSON *t = cJSON_GetObjectItemCaseSensitive(h, name);
        cJSON *dt = cJSON_GetObjectItemCaseSensitive(t, "dtype"), *shape = cJSON_GetObjectItemCaseSensitive(t, "shape");
        cJSON *range = cJSON_GetObjectItemCaseSensitive(t, "data_offsets");
        int64_t dims[GRAPH_MAX_RANK + 1];
        int rank = graph_value_dims(g, v, 1, dims);
        bool same = cJSON_IsArray(shape) && cJSON_GetArraySize(shape) == rank;
        for (int d = 0; same && d < rank; d++) same = cJSON_GetArrayItem(shape, d)->valuedouble == (double)dims[d];
        int64_t bytes = graph_shape_numel(&g->values[v].shape, 1) * 4;
        double b0 =
            cJSON_IsArray(range) && cJSON_GetArraySize(range) == 2 ? cJSON_GetArrayItem(range, 0)->valuedouble : -1;
        double b1 = b0 >= 0 ? cJSON_GetArrayItem(range, 1)->valuedouble : -1;
        if (!t) snprintf(why, sizeof why, "no tensor %s (written for another architecture?)", name);
        else if (!cJSON_IsString(dt) || strcmp(dt->valuestring, "F32"))
            snprintf(why, sizeof why, "tensor %s: dtype is not F32", name);
        else if (!same) snprintf(why, sizeof why, "tensor %s: its shape is not the architecture's", name);
        else if (b0 < 0 || b1 - b0 != (double)bytes || b1 > (double)dlen)
            snprintf(why, sizeof why, "tensor %s: its data_offsets do not fit the file", name);
        if (why[0]) {
            rc = -1;
            break;
        }
        memcpy((float *)value_data(g, v, params, state), data + (size_t)b0, (size_t)bytes);
        matched++;
    }
    if (rc == 0) {
        int n = cJSON_GetArraySize(h) - (cJSON_GetObjectItemCaseSensitive(h, "__metadata__") ? 1 : 0);
        if (n != matched) {
            snprintf(why, sizeof why, "%d tensors, the architecture has %d (written for another one?)", n, matched);
            rc = -1;
        }
    }
    cJSON_Delete(h);
    free(buf);
    return rc ? failf(err, errsize, path, why) : 0;
}

/* ---- SHA-256 ---- */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(a, h, sizeof a);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            a[7] + (ror(a[4], 6) ^ ror(a[4], 11) ^ ror(a[4], 25)) + ((a[4] & a[5]) ^ (~a[4] & a[6])) + K256[i] + w[i];
        uint32_t t2 = (ror(a[0], 2) ^ ror(a[0], 13) ^ ror(a[0], 22)) + ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
        memmove(a + 1, a, 7 * sizeof *a);
        a[4] += t1;
        a[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++) h[i] += a[i];
}

int weights_sha256(const char *path, char hex[65], int64_t *bytes, char *err, size_t errsize)
{
    size_t len;
    char *buf = read_all(path, &len, err, errsize);
    if (!buf) return -1;
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64) sha_block(h, (const unsigned char *)buf + i);
    unsigned char tail[128] = {0};
    size_t rest = len - full, tl = rest < 56 ? 64 : 128;
    memcpy(tail, buf + full, rest);
    tail[rest] = 0x80;
    for (int i = 0; i < 8; i++) tail[tl - 1 - i] = (unsigned char)(((uint64_t)len * 8) >> (8 * i));
    for (size_t i = 0; i < tl; i += 64) sha_block(h, tail + i);
    for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", h[i]);
    *bytes = (int64_t)len;
    free(buf);
    return 0;
}
