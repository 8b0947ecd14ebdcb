/* dataset.h — in-memory labelled datasets (IDX, CSV, synthetic), splits and batching.
 * A Dataset owns its arrays; errors come back in a DataError naming the file and the problem. */
#ifndef NAS_DATASET_H
#define NAS_DATASET_H
#include <stdint.h>
#include <stddef.h>

typedef struct DataError {
    char msg[512];
} DataError;

typedef struct Dataset {
    int64_t n;   /* examples */
    int c, h, w; /* example shape (c*h*w features) */
    int classes;
    float *x;         /* [n, c, h, w], owned */
    int32_t *y;       /* [n], each in [0, classes), owned */
    char source[512]; /* the file it was read from ("synthetic" when generated): for messages */
} Dataset;

static inline int64_t dataset_features(const Dataset *d) { return (int64_t)d->c * d->h * d->w; }

/* IDX files (MNIST format), plain or gzip (detected by magic). Pixels become [0,1] floats.
 * Checks magic, dimension counts, dimensions whose product overflows or exceeds an int32
 * index, sizes against the file length, no images, images vs labels count, and labels <
 * classes. Returns 0, or -1 with err filled (the file and the offending value). */
int data_load_idx(const char *images_path, const char *labels_path, int classes, Dataset *out, DataError *err);
/* dir/train-images-idx3-ubyte[.gz] etc.; part is "train" or "t10k" (alias "test"). */
int data_load_idx_dir(const char *dir, const char *part, int classes, Dataset *out, DataError *err);
/* CSV: one example a line, label in column label_col, the rest features (c*h*w of them);
 * a header line is skipped when its first field is not a number. A cell that is not a finite
 * float (nan, inf, 1e39) is an error naming the line and column. */
int data_load_csv(const char *path, int label_col, int c, int h, int w, int classes, Dataset *out, DataError *err);
/* Learnable synthetic data: each class has a fixed random pattern drawn from `seed`; an
 * example is its class pattern plus gaussian noise (noise = 1 makes it non-trivial). Parts
 * (0: train, 1: test, ...) draw different examples of the same patterns; data_synthetic is
 * part 0. */
int data_synthetic_part(int64_t n, int c, int h, int w, int classes, float noise, uint64_t seed, int part, Dataset *out,
                        DataError *err);
int data_synthetic(int64_t n, int c, int h, int w, int classes, float noise, uint64_t seed, Dataset *out,
                   DataError *err);
void dataset_free(Dataset *d);

/* The examples of `in` with each channel resized to h x w (at most in's: a proxy's resolution
 * only scales down): by area averaging when in's height and width are integer multiples of h
 * and w (each pixel the mean of its block), else bilinearly (pixel centres aligned, as
 * PyTorch's align_corners=False without antialiasing). Deterministic; labels copied. *out owns
 * new arrays. 0, or -1 with err. */
int data_resize(const Dataset *in, int h, int w, Dataset *out, DataError *err);

/* Mean and standard deviation over all features; normalise in place: x = (x - mean) / std. */
void data_stats(const Dataset *d, const int32_t *idx, int64_t n, double *mean, double *std);
void data_normalize(Dataset *d, float mean, float std);

/* A split: indices into one dataset. Stage 1 uses a seeded shuffled train_frac/rest split of
 * the training set; stage 2 uses all of it (data_split_all). `hash` is FNV-1a over both index
 * lists, so a run can record seed + counts + hash and prove which split it used. */
typedef struct Split {
    int32_t *train, *val; /* owned */
    int64_t ntrain, nval;
    uint64_t seed, hash;
} Split;
int data_split(int64_t n, double train_frac, uint64_t seed, Split *s, DataError *err);
int data_split_all(int64_t n, Split *s, DataError *err); /* train = 0..n-1, val empty */
void data_split_free(Split *s);

/* Batching: the epoch order is a seeded shuffle of idx (per epoch: from seed and epoch).
 * data_batch gathers rows order[start..start+count) into the caller's buffers and points
 * xp and yp at them; with order == NULL the rows start.. are used in place (no copy). */
void data_epoch_order(const int32_t *idx, int64_t n, uint64_t seed, int epoch, int32_t *order);
void data_batch(const Dataset *d, const int32_t *order, int64_t start, int64_t count, float *xbuf, int32_t *ybuf,
                const float **xp, const int32_t **yp);
#endif
