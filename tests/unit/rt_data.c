/* rt_data.c — the data readers on generated good and corrupt files (IDX plain and gzip, CSV),
 * the synthetic generator, splits (deterministic, disjoint, recordable) and batching. */
#include "dataset.h"
#include "rt_check.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <math.h>

static char dir[256];

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* Writes an IDX file: magic 0x0800|ndims, dims, then payload (len bytes); gz selects gzip. */
static const char *write_idx(const char *name, int gz, int magic3, int ndims, const uint32_t *dims,
                             const unsigned char *payload, size_t len)
{
    static char paths[16][300];
    static int k;
    char *path = paths[k++ % 16];
    snprintf(path, 300, "%s/%s", dir, name);
    unsigned char hdr[4 + 4 * 4] = {0, 0, (unsigned char)magic3, (unsigned char)ndims};
    for (int i = 0; i < ndims; i++) put32(hdr + 4 + 4 * i, dims[i]);
    if (gz) {
        gzFile f = gzopen(path, "wb");
        gzwrite(f, hdr, 4 + 4 * (unsigned)ndims);
        if (len) gzwrite(f, payload, (unsigned)len);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(hdr, 1, 4 + 4 * (size_t)ndims, f);
        fwrite(payload, 1, len, f);
        fclose(f);
    }
    return path;
}

static unsigned char pix[5 * 4 * 3], lab[5] = {0, 1, 2, 9, 4};

static void expect_error(const char *img, const char *lbl, const char *needle1, const char *needle2)
{
    Dataset d;
    DataError e = {""};
    int rc = data_load_idx(img, lbl, 10, &d, &e);
    CHECK(rc == -1, "loading %s / %s should fail", img, lbl);
    CHECK(strstr(e.msg, needle1) && strstr(e.msg, needle2), "message '%s' lacks '%s' / '%s'", e.msg, needle1, needle2);
    if (rc == 0) dataset_free(&d);
}

static void test_idx(void)
{
    for (size_t i = 0; i < sizeof pix; i++) pix[i] = (unsigned char)(i * 4);
    uint32_t idim[3] = {5, 4, 3}, ldim[1] = {5};
    for (int gz = 0; gz <= 1; gz++) {
        const char *img = write_idx(gz ? "img.gz" : "img", gz, 8, 3, idim, pix, sizeof pix);
        const char *lbl = write_idx(gz ? "lbl.gz" : "lbl", gz, 8, 1, ldim, lab, 5);
        Dataset d;
        DataError e;
        int rc = data_load_idx(img, lbl, 10, &d, &e);
        CHECK(rc == 0, "good IDX (gz=%d): %s", gz, e.msg);
        if (rc) continue;
        CHECK(d.n == 5 && d.c == 1 && d.h == 4 && d.w == 3 && d.classes == 10, "shape %lld %d %d %d", (long long)d.n,
              d.c, d.h, d.w);
        CHECK(d.y[3] == 9 && fabsf(d.x[13] - 52.0f / 255.0f) < 1e-7f, "values y3=%d x13=%g", d.y[3], d.x[13]);
        dataset_free(&d);
    }
    const char *img = write_idx("img", 0, 8, 3, idim, pix, sizeof pix);
    const char *lbl = write_idx("lbl", 0, 8, 1, ldim, lab, 5);
    expect_error(write_idx("badmagic", 0, 9, 3, idim, pix, sizeof pix), lbl, "badmagic", "magic");
    expect_error(write_idx("baddims", 0, 8, 2, idim, pix, sizeof pix), lbl, "baddims", "dimensions");
    expect_error(write_idx("short", 0, 8, 3, idim, pix, sizeof pix - 7), lbl, "short", "truncated");
    expect_error(write_idx("long", 1, 8, 3, idim, pix, sizeof pix), write_idx("lbl_long", 0, 8, 1, ldim, lab, 4),
                 "lbl_long", "truncated");
    uint32_t four[1] = {4};
    expect_error(img, write_idx("lbl4", 0, 8, 1, four, lab, 4), "lbl4", "4 labels but");
    unsigned char badlab[5] = {0, 1, 10, 2, 3};
    expect_error(img, write_idx("lblrange", 0, 8, 1, ldim, badlab, 5), "lblrange", "out of range");
    expect_error(img, "/nonexistent/labels", "/nonexistent/labels", "cannot open");
    /* 65536 x 2^24 x 2^24 = 2^64 wraps to the 0 bytes of data the file has */
    uint32_t wrap[3] = {65536, 1u << 24, 1u << 24}, wrapl[1] = {65536};
    static unsigned char zeros[65536];
    expect_error(write_idx("wrap", 0, 8, 3, wrap, pix, 0), write_idx("wrapl", 0, 8, 1, wrapl, zeros, sizeof zeros),
                 "wrap: header dimension 3 at byte offset 12 is 16777216", "overflows");
    uint32_t huge[3] = {1, 65536, 65536};
    expect_error(write_idx("huge", 0, 8, 3, huge, pix, 0), lbl, "huge: header says images of 65536 x 65536", "2^31");
    uint32_t none[3] = {0, 4, 3}, nonel[1] = {0};
    expect_error(write_idx("none", 0, 8, 3, none, pix, 0), write_idx("nonel", 0, 8, 1, nonel, lab, 0),
                 "none: no images", "byte offset 4");
    /* a gzip file cut in the middle */
    char cut[300];
    snprintf(cut, sizeof cut, "%s/cut.gz", dir);
    write_idx("full.gz", 1, 8, 3, idim, pix, sizeof pix);
    char full[300];
    snprintf(full, sizeof full, "%s/full.gz", dir);
    FILE *f = fopen(full, "rb");
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen(cut, "wb");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    Dataset d;
    DataError e;
    CHECK(data_load_idx(cut, lbl, 10, &d, &e) == -1 && strstr(e.msg, "cut.gz"), "cut gzip: %s", e.msg);
    /* the real Fashion-MNIST files, when installed */
    if (access("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz", R_OK) == 0) {
        int rc = data_load_idx_dir("/usr/share/datasets/fashion-mnist", "test", 10, &d, &e);
        CHECK(rc == 0 && d.n == 10000 && d.h == 28 && d.w == 28, "fashion-mnist test: %s", rc ? e.msg : "shape");
        if (!rc) dataset_free(&d);
    }
}

static const char *write_text(const char *name, const char *text)
{
    static char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_csv(void)
{
    Dataset d;
    DataError e;
    int rc =
        data_load_csv(write_text("good.csv", "label,a,b,c,d\n1,0.5,1,2,3\n\n0, -1,2e1,3,4\n"), 0, 1, 2, 2, 3, &d, &e);
    CHECK(rc == 0, "good csv: %s", e.msg);
    if (!rc) {
        CHECK(d.n == 2 && d.y[0] == 1 && d.y[1] == 0 && d.x[5] == 20.0f, "csv values");
        dataset_free(&d);
    }
    rc = data_load_csv(write_text("last.csv", "0.5,1,2,3,2\n"), 4, 1, 1, 4, 3, &d, &e);
    CHECK(rc == 0 && d.y[0] == 2 && d.x[3] == 3.0f, "label in the last column: %s", e.msg);
    if (!rc) dataset_free(&d);
    CHECK(data_load_csv(write_text("nan.csv", "1,2,x,3,4\n"), 0, 1, 2, 2, 3, &d, &e) == -1 &&
              strstr(e.msg, "nan.csv:1") && strstr(e.msg, "column 3"),
          "%s", e.msg);
    CHECK(data_load_csv(write_text("cols.csv", "1,2,3,4,5\n1,2,3\n"), 0, 1, 2, 2, 3, &d, &e) == -1 &&
              strstr(e.msg, "cols.csv:2"),
          "%s", e.msg);
    CHECK(data_load_csv(write_text("lab.csv", "7,2,3,4,5\n"), 0, 1, 2, 2, 3, &d, &e) == -1 &&
              strstr(e.msg, "out of range"),
          "%s", e.msg);
    CHECK(data_load_csv(write_text("empty.csv", "a,b\n"), 0, 1, 1, 1, 3, &d, &e) == -1 && strstr(e.msg, "no examples"),
          "%s", e.msg);
    /* strtod reads these; a float feature or label cannot hold them */
    static const char *const bad[][2] = {{"0,1,nan,3,4\n", "`nan`"},
                                         {"0,1,2,-inf,4\n", "`-inf`"},
                                         {"0,1,2,3,1e39\n", "`1e39`, not a finite number (larger"},
                                         {"nan,1,2,3,4\n", "`nan`"}};
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "nonfinite%d.csv", i);
        rc = data_load_csv(write_text(name, bad[i][0]), 0, 1, 2, 2, 3, &d, &e);
        CHECK(rc == -1 && strstr(e.msg, name) && strstr(e.msg, ":1: column") && strstr(e.msg, bad[i][1]), "%s: %s",
              name, rc ? e.msg : "loaded");
        if (!rc) dataset_free(&d);
    }
}

static void test_split_batch(void)
{
    Dataset d;
    DataError e;
    CHECK(data_synthetic(1000, 1, 3, 3, 4, 0.5f, 9, &d, &e) == 0, "synthetic: %s", e.msg);
    Dataset d2;
    data_synthetic(1000, 1, 3, 3, 4, 0.5f, 9, &d2, &e);
    CHECK(!memcmp(d.x, d2.x, sizeof(float) * 9000) && !memcmp(d.y, d2.y, 4000), "synthetic not reproducible");
    dataset_free(&d2);
    /* another part: other examples of the same class patterns, so each of its examples is
     * nearer its own class's mean in part 0 than any other class's */
    CHECK(data_synthetic_part(400, 1, 3, 3, 4, 0.5f, 9, 1, &d2, &e) == 0, "synthetic part 1: %s", e.msg);
    double cmean[4][9] = {{0}};
    int count[4] = {0}, near = 0;
    for (int64_t i = 0; i < d.n; i++) {
        count[d.y[i]]++;
        for (int j = 0; j < 9; j++) cmean[d.y[i]][j] += d.x[i * 9 + j];
    }
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 9; j++) cmean[k][j] /= count[k] ? count[k] : 1;
    for (int64_t i = 0; i < d2.n; i++) {
        int best = 0;
        double bd = INFINITY;
        for (int k = 0; k < 4; k++) {
            double dist = 0;
            for (int j = 0; j < 9; j++) dist += (d2.x[i * 9 + j] - cmean[k][j]) * (d2.x[i * 9 + j] - cmean[k][j]);
            if (dist < bd) {
                bd = dist;
                best = k;
            }
        }
        near += best == d2.y[i];
    }
    CHECK(near > 360 && memcmp(d.x, d2.x, sizeof(float) * 9), "part 1: %d of 400 nearest their class of part 0", near);
    dataset_free(&d2);
    Split a, b, c;
    data_split(1000, 0.9, 5, &a, &e);
    data_split(1000, 0.9, 5, &b, &e);
    data_split(1000, 0.9, 6, &c, &e);
    CHECK(a.ntrain == 900 && a.nval == 100, "counts %lld %lld", (long long)a.ntrain, (long long)a.nval);
    CHECK(a.hash == b.hash && a.hash != c.hash, "hash %llx %llx %llx", (unsigned long long)a.hash,
          (unsigned long long)b.hash, (unsigned long long)c.hash);
    char seen[1000] = {0};
    for (int64_t i = 0; i < a.ntrain; i++) seen[a.train[i]]++;
    for (int64_t i = 0; i < a.nval; i++) seen[a.val[i]]++;
    int ok = 1;
    for (int i = 0; i < 1000; i++) ok &= seen[i] == 1;
    CHECK(ok, "split is not a partition");
    int32_t o1[900], o2[900], o3[900];
    data_epoch_order(a.train, 900, 1, 0, o1);
    data_epoch_order(a.train, 900, 1, 0, o2);
    data_epoch_order(a.train, 900, 1, 1, o3);
    CHECK(!memcmp(o1, o2, sizeof o1) && memcmp(o1, o3, sizeof o1), "epoch orders");
    float xb[4 * 9];
    int32_t yb[4];
    const float *xp;
    const int32_t *yp;
    data_batch(&d, o1, 8, 4, xb, yb, &xp, &yp);
    CHECK(xp == xb && yp[2] == d.y[o1[10]] && xb[9 * 2 + 4] == d.x[o1[10] * 9 + 4], "gathered batch");
    data_batch(&d, NULL, 8, 4, xb, yb, &xp, &yp);
    CHECK(xp == d.x + 72 && yp == d.y + 8, "in-place batch must not copy");
    double mean, std;
    data_stats(&d, NULL, d.n, &mean, &std);
    data_normalize(&d, (float)mean, (float)std);
    double m2, s2;
    data_stats(&d, NULL, d.n, &m2, &s2);
    CHECK(fabs(m2) < 1e-4 && fabs(s2 - 1) < 1e-4, "normalised mean %g std %g", m2, s2);
    data_split_free(&a);
    data_split_free(&b);
    data_split_free(&c);
    dataset_free(&d);
}

/* Resizing to a proxy's resolution, against values computed by hand: area averaging for an
 * integer factor, bilinear (centres aligned) otherwise, per channel, labels kept. */
static void test_resize(void)
{
    Dataset d = {.n = 2, .c = 1, .h = 4, .w = 4, .classes = 3};
    float x[32];
    int32_t y[2] = {2, 1};
    for (int i = 0; i < 32; i++) x[i] = (float)(i % 16) + (i >= 16 ? 100.0f : 0.0f);
    d.x = x;
    d.y = y;
    snprintf(d.source, sizeof d.source, "hand");
    Dataset a;
    DataError err;
    CHECK(data_resize(&d, 2, 2, &a, &err) == 0, "%s", err.msg);
    /* each output pixel the mean of a 2 x 2 block of 0..15: (0+1+4+5)/4 = 2.5, ... */
    const float want_area[8] = {2.5f, 4.5f, 10.5f, 12.5f, 102.5f, 104.5f, 110.5f, 112.5f};
    for (int i = 0; i < 8; i++) CHECK(a.x[i] == want_area[i], "area[%d] = %g, want %g", i, a.x[i], want_area[i]);
    CHECK(a.n == 2 && a.c == 1 && a.h == 2 && a.w == 2 && a.y[0] == 2 && a.y[1] == 1, "area: shape or labels");
    dataset_free(&a);
    /* 4 x 4 -> 1 x 1 of i^2: the mean of all 16 (1240 / 16), where a bilinear sample would
     * average only the central four (60.5) */
    for (int i = 0; i < 16; i++) x[i] = (float)(i * i);
    d.n = 1;
    CHECK(data_resize(&d, 1, 1, &a, &err) == 0 && a.x[0] == 77.5f, "area 4x4 -> 1x1: %g, want 77.5", a.x[0]);
    dataset_free(&a);
    /* 3 x 3 -> 2 x 2 (factor 1.5): the sources are 0.25 and 1.75 on each axis. Channel 0 is
     * 3y + x (bilinear is exact on it: 1, 2.5, 5.5, 7); channel 1 a single 1 at the centre,
     * which each output pixel weighs 0.25 x 0.25. */
    float z[18] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    Dataset e = {.n = 1, .c = 2, .h = 3, .w = 3, .classes = 2, .x = z, .y = y};
    CHECK(data_resize(&e, 2, 2, &a, &err) == 0, "%s", err.msg);
    const float want_bl[8] = {1.0f, 2.5f, 5.5f, 7.0f, 0.0625f, 0.0625f, 0.0625f, 0.0625f};
    for (int i = 0; i < 8; i++)
        CHECK(fabsf(a.x[i] - want_bl[i]) < 1e-6f, "bilinear[%d] = %g, want %g", i, a.x[i], want_bl[i]);
    dataset_free(&a);
    CHECK(data_resize(&e, 4, 2, &a, &err) != 0 && strstr(err.msg, "only down"), "upscaling must be refused");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/rt_data_%d", (int)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd)) return 1;
    test_idx();
    test_csv();
    test_split_batch();
    test_resize();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) return 1;
    return RT_DONE("rt_data");
}
