/* settings.h — the one table of settings (sema_settings.c). For each declaration it lists the
 * settings it accepts; each carries its value kind and range, whether it is required, its
 * default, the config field (config.h) it fills and its documentation. sema checks settings
 * against it (sema_setting_check.c), config.c fills the NasConfig from it, and
 * sema_write_settings_doc() prints the tables of docs/settings.md from it. Private to the
 * sema library. */
#ifndef NAS_SETTINGS_H
#define NAS_SETTINGS_H
#include <stddef.h>
#include "sema.h"

typedef enum SetKind {
    SK_INT,
    SK_FLOAT,
    SK_FRACTION, /* a number in [0, 1) */
    SK_STRING,
    SK_TIME,
    SK_INT_LIST,
    SK_PERCENT_LIST,
    SK_MULTIPLIER_LIST, /* numbers in (0, 1] */
    SK_OPTION,
    SK_SPLIT,
    SK_DATA_PAIR,
    SK_STOP,
    SK_KEEP,
    SK_METRICS,
    SK_LETS, /* a list of top-level lets that hold decisions */
} SetKind;

/* How a value is stored in its config field. F_NONE: config.c builds the field itself
 * (structured values: splits, lists, conditions, metric lists). */
typedef enum FieldType { F_NONE, F_INT, F_FLOAT, F_BOOL, F_STRING, F_ENUM } FieldType;

/* A parameter of an option such as `adam(lr = 0.001)`: stored at `offset` in the struct the
 * option's setting fills (NasOptimizer, NasSchedule, NasController, NasDataset). */
typedef struct OptParam {
    const char *name;
    const struct SemaType *type;
    bool has_default; /* false: the parameter is required */
    double dflt;
    FieldType ftype;
    size_t offset;
    bool positive; /* must be > 0 (else >= 0): checked per trial when decided */
} OptParam;

typedef struct Option {
    const char *name;
    int value; /* the enum value written to the setting's field */
    const OptParam *params;
    int n;
} Option;

typedef struct SettingSpec {
    const char *key;
    SetKind kind;
    bool required;
    bool multi;
    int64_t min; /* SK_INT and lists: smallest value; SK_FLOAT/SK_TIME: > 0 if 1 */
    const Option *opts;
    int nopts; /* SK_OPTION */
    FieldType ftype;
    size_t offset;          /* the field, an offset in the declaration's config struct */
    size_t opt_base;        /* SK_OPTION: where the options' parameter offsets start */
    double dflt;            /* the default of a number; of an option: its enum value */
    const Option *dflt_opt; /* SK_OPTION: the default with its arguments, or NULL (the
                                       option whose value is dflt, with its own defaults) */
    bool decidable;         /* a decision may set it: then a decision of the space */
    const char *doc;        /* the docs' "value" column (after the generated type) */
    const char *dflt_doc;   /* the docs' "default" column when not generated, or NULL */
} SettingSpec;

typedef struct DeclSpec {
    NodeKind kind;
    const char *what;
    const SettingSpec *s;
    int n;
    size_t training; /* offset of the NasTraining in the config struct, or NO_TRAINING */
} DeclSpec;
#define NO_TRAINING ((size_t)-1)

/* The declaration kinds that take settings, in the docs' order. */
extern const DeclSpec settings_decls[];
extern const int settings_ndecls;
const DeclSpec *settings_decl(NodeKind kind); /* NULL: no settings */
/* `converged(window)` of `stop when` and `soft(weight)` of a reward constraint. */
extern const Option settings_converged, settings_soft;
const SettingSpec *settings_find(const DeclSpec *ds, const char *key);
#endif
