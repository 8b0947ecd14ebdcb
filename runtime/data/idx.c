/* idx.c — IDX (MNIST-format) image and label files, plain or gzip, read through zlib. */
#include "dataset.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Reads the whole file (gunzipped when it is gzip; gzread passes plain files through). */
static unsigned char *read_all(const char *path, size_t *len, DataError *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            unsigned char *nb = buf ? realloc(buf, cap * 2) : NULL;
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        int got = buf ? gzread(f, buf + n, (unsigned)(cap - n)) : -1;
        if (got < 0) {
            int zerr;
            const char *m = gzerror(f, &zerr);
            snprintf(err->msg, sizeof err->msg, "%s: read error (corrupt gzip?): %s", path, buf ? m : "out of memory");
            free(buf);
            gzclose(f);
            return NULL;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks the header: magic 0x00000800 | ndims (unsigned bytes), ndims as expected, and the
 * payload length against the product of the dimensions. dims receives ndims values. */
static int idx_header(const char *path, const unsigned char *b, size_t len, int ndims, uint32_t *dims, DataError *err)
{
    if (len < 4 || b[0] != 0 || b[1] != 0 || b[2] != 0x08) {
        snprintf(err->msg, sizeof err->msg, "%s: not an IDX file of unsigned bytes (bad magic number)", path);
        return -1;
    }
    if (b[3] != ndims) {
        snprintf(err->msg, sizeof err->msg, "%s: expected %d dimensions (%s file), found %d", path, ndims,
                 ndims == 1 ? "label" : "image", b[3]);
        return -1;
    }
    if (len < 4 + 4 * (size_t)ndims) {
        snprintf(err->msg, sizeof err->msg, "%s: truncated header", path);
        return -1;
    }
    uint64_t want = 1;
    for (int i = 0; i < ndims; i++) {
        dims[i] = be32(b + 4 + 4 * i);
        /* The product sizes the data and indexes it as int32 examples and int features. */
        if (__builtin_mul_overflow(want, (uint64_t)dims[i], &want) || dims[i] > INT32_MAX) {
            snprintf(err->msg, sizeof err->msg, "%s: header dimension %d at byte offset %d is %u: %s", path, i + 1,
                     4 + 4 * i, dims[i],
                     dims[i] > INT32_MAX ? "more than 2^31 - 1" : "the dimensions' product overflows");
            return -1;
        }
    }
    if (ndims == 3 && (uint64_t)dims[1] * dims[2] > INT32_MAX) {
        snprintf(err->msg, sizeof err->msg, "%s: header says images of %u x %u pixels (more than 2^31 - 1)", path,
                 dims[1], dims[2]);
        return -1;
    }
    size_t have = len - 4 - 4 * (size_t)ndims;
    if (have != want) {
        snprintf(err->msg, sizeof err->msg, "%s: header says %llu bytes of data, file has %zu (%s)", path,
                 (unsigned long long)want, have, have < want ? "truncated" : "trailing bytes");
        return -1;
    }
    return 0;
}

int data_load_idx(const char *images_path, const char *labels_path, int classes, Dataset *out, DataError *err)
{
    memset(out, 0, sizeof *out);
    size_t ilen = 0, llen = 0;
    unsigned char *ib = read_all(images_path, &ilen, err), *lb = NULL;
    uint32_t idim[3], ldim[1];
    int rc = -1;
    if (!ib || idx_header(images_path, ib, ilen, 3, idim, err)) goto done;
    if (!(lb = read_all(labels_path, &llen, err)) || idx_header(labels_path, lb, llen, 1, ldim, err)) goto done;
    if (idim[0] == 0) {
        snprintf(err->msg, sizeof err->msg, "%s: no images (the header at byte offset 4 says 0)", images_path);
        goto done;
    }
    if (idim[0] != ldim[0]) {
        snprintf(err->msg, sizeof err->msg, "%s: %u labels but %s has %u images", labels_path, ldim[0], images_path,
                 idim[0]);
        goto done;
    }
    const unsigned char *lab = lb + 8, *pix = ib + 16;
    for (uint32_t i = 0; i < ldim[0]; i++)
        if (lab[i] >= classes) {
            snprintf(err->msg, sizeof err->msg,
                     "%s: label %u of example %u (byte offset %u) is out of range "
                     "[0, %d): the declaration says `classes %d`",
                     labels_path, lab[i], i, 8 + i, classes, classes);
            goto done;
        }
    out->n = idim[0];
    out->c = 1;
    out->h = (int)idim[1];
    out->w = (int)idim[2];
    out->classes = classes;
    snprintf(out->source, sizeof out->source, "%s", images_path);
    size_t nf = (size_t)out->n * idim[1] * idim[2];
    out->x = malloc(sizeof(float) * (nf ? nf : 1));
    out->y = malloc(sizeof(int32_t) * (out->n ? (size_t)out->n : 1));
    if (!out->x || !out->y) {
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", images_path);
        dataset_free(out);
        goto done;
    }
    for (size_t i = 0; i < nf; i++) out->x[i] = pix[i] * (1.0f / 255.0f);
    for (int64_t i = 0; i < out->n; i++) out->y[i] = lab[i];
    rc = 0;
done:
    free(ib);
    free(lb);
    return rc;
}

/* dir/<part>-images-idx3-ubyte.gz, else without .gz */
static void idx_path(char *buf, size_t n, const char *dir, const char *part, const char *kind)
{
    snprintf(buf, n, "%s/%s-%s.gz", dir, part, kind);
    FILE *f = fopen(buf, "rb");
    if (f) {
        fclose(f);
        return;
    }
    snprintf(buf, n, "%s/%s-%s", dir, part, kind);
}

int data_load_idx_dir(const char *dir, const char *part, int classes, Dataset *out, DataError *err)
{
    char ip[4096], lp[4096];
    if (!strcmp(part, "test")) part = "t10k";
    idx_path(ip, sizeof ip, dir, part, "images-idx3-ubyte");
    idx_path(lp, sizeof lp, dir, part, "labels-idx1-ubyte");
    return data_load_idx(ip, lp, classes, out, err);
}
