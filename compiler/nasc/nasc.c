/* nasc.c — the compiler driver: nas_compile (read → parse → sema → lower, compile.h) →
 * check_space → summary (or the view asked for with --emit, --sample, --decode, --encode).
 * Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage or I/O error on
 * the main file. Diagnostics go to stderr, results (--emit, summary) to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "compile.h"
#include "diag.h"
#include "diff.h"
#include "fmt.h"
#include "emit.h"
#include "config.h"
#include "print.h"
#include "sema.h"

typedef enum Emit { EMIT_NONE, EMIT_SOURCE, EMIT_AST, EMIT_SPACE, EMIT_GRAPH } Emit;

typedef struct Options {
    const char *path;
    Emit emit;
    DiagFormat format;
    int colour;             /* -1 auto, 0 never, 1 always */
    const char *arch;       /* --arch ID (with --emit=graph) */
    const char *decode;     /* --decode ID */
    const char *encode;     /* --encode DECISIONS */
    const char *method;     /* --method random|grid|sobol */
    const char *out_format; /* --format=dot|json|text */
    int sample;             /* --sample N */
    uint64_t seed;          /* --seed S */
    bool no_check;          /* --no-check: skip instantiating architectures */
    const char *diff_old;   /* --diff OLD: compare OLD's space with path's */
} Options;

static void usage(FILE *out)
{
    fputs("usage: nasc [options] FILE.nas\n"
          "       nasc fmt [--check] FILE.nas...   rewrite files in canonical form, comments kept\n"
          "Checks a .nas search space: syntax, modules, names, types and units, settings.\n"
          "\n"
          "options:\n"
          "  --emit=source          print the parsed main file in canonical form and stop\n"
          "  --emit=ast             print the syntax tree of the main file and stop\n"
          "  --emit=space           print the decision table (JSON, for external tools)\n"
          "  --emit=graph --arch ID print the graph of one architecture (--format=dot: Graphviz)\n"
          "  --sample N             print N architectures with their decisions, params and MACs\n"
          "  --seed S --method random|grid|sobol   how --sample draws them (default 1, random)\n"
          "  --decode ID            print the decisions of an architecture ID\n"
          "  --encode DECISIONS     print the ID of the architecture 'name=value, name=value, ...'\n"
          "                         (values as --decode prints them; leave out the decisions it lacks)\n"
          "  --diff OLD.nas         compare OLD.nas's space with FILE's: decisions added, removed, changed;\n"
          "                         the old architectures that are still architectures (--format=json: all)\n"
          "  --no-check             do not instantiate architectures to check shapes\n"
          "  --diagnostics=text     diagnostics as file:line:col: error[NASxxxx]: ... (default)\n"
          "  --diagnostics=json     diagnostics as a JSON array on stderr\n"
          "  --color=auto|always|never   colour in text diagnostics (auto: stderr is a terminal)\n"
          "  --explain NASxxxx      explain a diagnostic code\n"
          "  --settings-doc         print the settings tables of docs/settings.md (from the table nasc checks)\n"
          "  --version              print the version\n"
          "  --help                 this text\n"
          "Options take their value as --opt=value or --opt value.\n"
          "\n"
          "Standard modules (use std.x) come from $NAS_STDLIB, else from ../share/nas/stdlib\n"
          "relative to nasc's directory when it exists (an installed nasc), else from\n" NAS_STDLIB_DIR ".\n"
          "Exit status: 0 no errors, 1 errors in the input, 2 usage or I/O error.\n",
          out);
}

static int explain(const char *code)
{
    DiagCode c = diag_code_parse(code);
    const char *text = c != NAS_NONE ? diag_code_explanation(c) : NULL;
    if (!text) {
        fprintf(stderr, "nasc: unknown diagnostic code '%s' (codes look like NAS0201)\n", code);
        return 2;
    }
    printf("%s: %s\n\n%s\n", diag_code_string(c), diag_code_summary(c), text);
    return 0;
}

enum {
    O_EMIT = 256,
    O_FORMAT,
    O_NO_CHECK,
    O_ARCH,
    O_DECODE,
    O_ENCODE,
    O_METHOD,
    O_SAMPLE,
    O_SEED,
    O_DIAGNOSTICS,
    O_COLOR,
    O_EXPLAIN,
    O_VERSION,
    O_SETTINGS_DOC,
    O_DIFF
};

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {"explain", required_argument, NULL, O_EXPLAIN},
    {"emit", required_argument, NULL, O_EMIT},
    {"format", required_argument, NULL, O_FORMAT},
    {"no-check", no_argument, NULL, O_NO_CHECK},
    {"arch", required_argument, NULL, O_ARCH},
    {"decode", required_argument, NULL, O_DECODE},
    {"encode", required_argument, NULL, O_ENCODE},
    {"method", required_argument, NULL, O_METHOD},
    {"sample", required_argument, NULL, O_SAMPLE},
    {"seed", required_argument, NULL, O_SEED},
    {"diagnostics", required_argument, NULL, O_DIAGNOSTICS},
    {"color", required_argument, NULL, O_COLOR},
    {"settings-doc", no_argument, NULL, O_SETTINGS_DOC},
    {"diff", required_argument, NULL, O_DIFF},
    {NULL, 0, NULL, 0},
};

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, Options *o)
{
    static const char *const emits[] = {"source", "ast", "space", "graph"};
    int c, idx;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, &idx)) != -1) {
        const char *v = optarg;
        char *end;
        long long n = 0;
        switch (c) {
        case 'h': usage(stdout); return 0;
        case O_VERSION: printf("nasc %s\n", NAS_VERSION); return 0;
        case O_SETTINGS_DOC: sema_write_settings_doc(stdout); return 0;
        case O_EXPLAIN: return explain(v);
        case O_EMIT:
            o->emit = EMIT_NONE;
            for (int i = 0; i < 4; i++)
                if (!strcmp(v, emits[i])) o->emit = (Emit)(EMIT_SOURCE + i);
            if (o->emit == EMIT_NONE) {
                fprintf(stderr, "nasc: --emit takes source, ast, space or graph (got '%s')\n", v);
                return 2;
            }
            break;
        case O_FORMAT: o->out_format = v; break;
        case O_NO_CHECK: o->no_check = true; break;
        case O_ARCH: o->arch = v; break;
        case O_DECODE: o->decode = v; break;
        case O_ENCODE: o->encode = v; break;
        case O_DIFF: o->diff_old = v; break;
        case O_METHOD: o->method = v; break;
        case O_SAMPLE:
        case O_SEED:
            n = strtoll(v, &end, 10);
            if (!*v || *end || n < 0) {
                fprintf(stderr, "nasc: --%s: '%s' is not a non-negative integer\n", options[idx].name, v);
                return 2;
            }
            if (c == O_SAMPLE) o->sample = (int)n;
            else o->seed = (uint64_t)n;
            break;
        case O_DIAGNOSTICS:
            if (strcmp(v, "text") && strcmp(v, "json")) {
                fprintf(stderr, "nasc: --diagnostics takes text or json (got '%s')\n", v);
                return 2;
            }
            o->format = !strcmp(v, "json") ? DIAG_JSON : DIAG_TEXT;
            break;
        case O_COLOR:
            if ((o->colour = cli_colour_mode(v)) < -1) {
                fprintf(stderr, "nasc: --color takes auto, always or never (got '%s')\n", v);
                return 2;
            }
            break;
        default: return cli_bad_option("nasc", options, c, argv);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->path) {
            fprintf(stderr, "nasc: one input file only ('%s' and '%s')\n", o->path, argv[i]);
            return 2;
        }
        o->path = argv[i];
    }
    if (!o->path) {
        usage(stderr);
        return 2;
    }
    if (o->emit == EMIT_GRAPH && !o->arch) {
        fputs("nasc: --emit=graph needs --arch ID (nasc --sample 5 FILE lists some)\n", stderr);
        return 2;
    }
    return -1;
}

static void summary(const Program *p)
{
    const AstFile *f = p->main->ast;
    static const NodeKind kinds[] = {N_USE,        N_EXTERN, N_DATASET, N_LET,   N_BLOCK, N_MODEL,  N_REWARD,
                                     N_CONTROLLER, N_SEARCH, N_TRAIN,   N_PROXY, N_TUNE,  N_TRAINER};
    printf("%s: ok (%d module%s)\n", p->main->path, p->nmodules, p->nmodules == 1 ? "" : "s");
    printf("  declarations:");
    bool any = false;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int c = 0;
        for (int i = 0; i < f->decls.count; i++) c += f->decls.items[i]->kind == kinds[k];
        if (c) printf("%s %d %s", any ? "," : "", c, ast_kind_name(kinds[k]));
        any |= c > 0;
    }
    printf("%s\n", any ? "" : " none");
}

/* After sema: the view asked for of the lowered space. status: nas_compile's. */
static int space_phase(Compiled *c, int status, const Options *o)
{
    Program *p = c->prog;
    ModelSpace *ms = c->space;
    bool wants_space = o->emit == EMIT_SPACE || o->emit == EMIT_GRAPH || o->decode || o->encode || o->sample;
    if (!ms) {
        if (status) return 1; /* lowering failed: the diagnostics say why */
        /* A module of declarations has no space (a file that searches needs a model). */
        if (wants_space) fprintf(stderr, "nasc: %s declares no model, so it has no space\n", o->path);
        summary(p);
        return wants_space ? 1 : 0;
    }
    int rc = 0;
    if (o->emit == EMIT_SPACE) space_write_json(model_space(ms), stdout);
    else if (o->emit == EMIT_GRAPH)
        rc = emit_graph(stdout, ms, o->arch, o->out_format && !strcmp(o->out_format, "dot"));
    else if (o->decode) rc = emit_decode(stdout, ms, o->decode);
    else if (o->encode) rc = emit_encode(stdout, ms, o->encode);
    else if (o->sample)
        rc = emit_samples(stdout, ms, o->sample, o->seed ? o->seed : 1, o->method ? o->method : "random");
    else {
        CheckOptions co = check_defaults();
        CheckResult r = {0};
        char res[512] = "";
        if (!o->no_check) nas_compile_check(c, &co, &r, res, sizeof res);
        if (p->diag->errors == 0) { /* with errors, the diagnostics say it all */
            summary(p);
            emit_space_summary(stdout, ms, &co, &r);
            if (res[0]) printf("  every architecture builds at the proxy's candidates: %s\n", res);
            if (c->constrained) emit_feasible(stdout, &c->bound, &c->feas);
        }
    }
    return rc;
}

/* --diff: both files compiled to their spaces (each file's diagnostics printed). */
static int diff_files(const Options *o, bool colour)
{
    Compiled a, b;
    CompileOptions co = {.upto = COMPILE_SPACE};
    int ra = nas_compile(&a, o->diff_old, &co), rb = nas_compile(&b, o->path, &co);
    if (a.diag.count) diag_print(&a.diag, stderr, o->format, colour);
    if (b.diag.count) diag_print(&b.diag, stderr, o->format, colour);
    int rc = ra == 2 || rb == 2 ? 2 : a.diag.errors || b.diag.errors ? 1 : 0;
    if (!rc && a.space && b.space) nasc_diff(a.space, b.space, o->out_format && !strcmp(o->out_format, "json"), stdout);
    nas_compile_free(&a);
    nas_compile_free(&b);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "fmt")) return nasc_fmt(argc - 1, argv + 1);
    Options o = {.format = DIAG_TEXT, .colour = -1};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    if (o.diff_old) return diff_files(&o, o.format == DIAG_TEXT && cli_colour(o.colour, STDERR_FILENO));

    bool colour = o.format == DIAG_TEXT && cli_colour(o.colour, STDERR_FILENO);
    bool later = o.emit != EMIT_SOURCE && o.emit != EMIT_AST;
    Compiled c;
    CompileOptions co = {.upto = later ? COMPILE_SPACE : COMPILE_PARSE, .space_optional = true};
    int status = nas_compile(&c, o.path, &co);
    if (c.done >= COMPILE_PARSE && o.emit == EMIT_SOURCE)
        print_source(stdout, c.prog->main->ast, c.diag.files[c.prog->main->ast->file].text);
    if (c.done >= COMPILE_PARSE && o.emit == EMIT_AST) print_ast(stdout, &c.diag, c.prog->main->ast, true);
    int view = later && c.done >= COMPILE_SEMA ? space_phase(&c, status, &o) : 0;

    if (c.diag.count || o.format == DIAG_JSON) diag_print(&c.diag, stderr, o.format, colour);
    rc = status == 2 ? 2 : c.diag.errors ? 1 : view;
    nas_compile_free(&c);
    return rc;
}
