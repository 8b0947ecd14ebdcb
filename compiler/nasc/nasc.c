/* nasc.c — the compiler driver: nas_compile (read → parse → sema → lower, compile.h) →
 * check_space → summary (or the view asked for with --emit, --sample, --decode).
 * Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage or I/O error on
 * the main file. Diagnostics go to stderr, results (--emit, summary) to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "print.h"

typedef enum Emit { EMIT_NONE, EMIT_SOURCE, EMIT_AST, EMIT_SPACE, EMIT_GRAPH } Emit;

typedef struct Options {
    const char *path;
    Emit emit;
    DiagFormat format;
    int colour;             /* -1 auto, 0 never, 1 always */
    const char *arch;       /* --arch ID (with --emit=graph) */
    const char *decode;     /* --decode ID */
    const char *method;     /* --method random|grid|sobol */
    const char *out_format; /* --format=dot|json|text */
    int sample;             /* --sample N */
    uint64_t seed;          /* --seed S */
    bool no_check;          /* --no-check: skip instantiating architectures */
} Options;

static void usage(FILE *out) {
    fputs("usage: nasc [options] FILE.nas\n"
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
          "  --no-check             do not instantiate architectures to check shapes\n"
          "  --diagnostics=text     diagnostics as file:line:col: error[NASxxxx]: ... (default)\n"
          "  --diagnostics=json     diagnostics as a JSON array on stderr\n"
          "  --color=auto|always|never   colour in text diagnostics (auto: stderr is a terminal)\n"
          "  --explain NASxxxx      explain a diagnostic code\n"
          "  --version              print the version\n"
          "  --help                 this text\n"
          "\n"
          "Standard modules (use std.x) come from $NAS_STDLIB, else from ../share/nas/stdlib\n"
          "relative to nasc's directory when it exists (an installed nasc), else from\n"
          NAS_STDLIB_DIR ".\n"
          "Exit status: 0 no errors, 1 errors in the input, 2 usage or I/O error.\n", out);
}

static int explain(const char *code) {
    DiagCode c = diag_code_parse(code);
    const char *text = c != NAS_NONE ? diag_code_explanation(c) : NULL;
    if (!text) {
        fprintf(stderr, "nasc: unknown diagnostic code '%s' (codes look like NAS0201)\n", code);
        return 2;
    }
    printf("%s: %s\n\n%s\n", diag_code_string(c), diag_code_summary(c), text);
    return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, Options *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        if (!strcmp(a, "--version")) { printf("nasc %s\n", NAS_VERSION); return 0; }
        if (!strcmp(a, "--explain")) {
            if (i + 1 >= argc) { fputs("nasc: --explain needs a code, e.g. --explain NAS0201\n", stderr); return 2; }
            return explain(argv[i + 1]);
        }
        if (!strncmp(a, "--explain=", 10)) return explain(a + 10);
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--emit=source")) o->emit = EMIT_SOURCE;
        else if (!strcmp(a, "--emit=ast")) o->emit = EMIT_AST;
        else if (!strcmp(a, "--emit=space")) o->emit = EMIT_SPACE;
        else if (!strcmp(a, "--emit=graph")) o->emit = EMIT_GRAPH;
        else if (!strncmp(a, "--format=", 9)) o->out_format = a + 9;
        else if (!strcmp(a, "--no-check")) o->no_check = true;
        else if (!strcmp(a, "--arch") || !strcmp(a, "--decode") || !strcmp(a, "--method") ||
                 !strcmp(a, "--sample") || !strcmp(a, "--seed")) {
            if (!v) { fprintf(stderr, "nasc: %s needs a value\n", a); return 2; }
            i++;
            char *end;
            if (!strcmp(a, "--arch")) o->arch = v;
            else if (!strcmp(a, "--decode")) o->decode = v;
            else if (!strcmp(a, "--method")) o->method = v;
            else {
                long long n = strtoll(v, &end, 10);
                if (*end || n < 0) { fprintf(stderr, "nasc: %s: '%s' is not a non-negative integer\n", a, v); return 2; }
                if (!strcmp(a, "--sample")) o->sample = (int)n;
                else o->seed = (uint64_t)n;
            }
        }
        else if (!strcmp(a, "--diagnostics=text")) o->format = DIAG_TEXT;
        else if (!strcmp(a, "--diagnostics=json")) o->format = DIAG_JSON;
        else if (!strcmp(a, "--color=auto")) o->colour = -1;
        else if (!strcmp(a, "--color=always")) o->colour = 1;
        else if (!strcmp(a, "--color=never")) o->colour = 0;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nasc: unknown option '%s' (nasc --help lists them)\n", a);
            return 2;
        } else if (o->path) {
            fprintf(stderr, "nasc: one input file only ('%s' and '%s')\n", o->path, a);
            return 2;
        } else o->path = a;
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

static bool use_colour(const Options *o) {
    if (o->colour >= 0) return o->colour;
    const char *term = getenv("TERM");
    return isatty(STDERR_FILENO) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
}

static void summary(const Program *p) {
    const AstFile *f = p->main->ast;
    static const NodeKind kinds[] = {N_USE, N_EXTERN, N_DATASET, N_LET, N_BLOCK, N_MODEL, N_REWARD,
                                     N_CONTROLLER, N_SEARCH, N_TRAIN, N_PROXY, N_TRAINER};
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
static int space_phase(const Compiled *c, int status, const Options *o) {
    Program *p = c->prog;
    ModelSpace *ms = c->space;
    bool wants_space = o->emit == EMIT_SPACE || o->emit == EMIT_GRAPH || o->decode || o->sample;
    if (!ms) {
        if (status) return 1;          /* lowering failed: the diagnostics say why */
        /* A module of declarations has no space (a file that searches needs a model). */
        if (wants_space) fprintf(stderr, "nasc: %s declares no model, so it has no space\n", o->path);
        summary(p);
        return wants_space ? 1 : 0;
    }
    int rc = 0;
    if (o->emit == EMIT_SPACE) space_write_json(model_space(ms), stdout);
    else if (o->emit == EMIT_GRAPH) rc = emit_graph(stdout, ms, o->arch, o->out_format && !strcmp(o->out_format, "dot"));
    else if (o->decode) rc = emit_decode(stdout, ms, o->decode);
    else if (o->sample) rc = emit_samples(stdout, ms, o->sample, o->seed ? o->seed : 1, o->method ? o->method : "random");
    else {
        CheckOptions co = check_defaults();
        CheckResult r = {0};
        if (!o->no_check) check_space(ms, &co, &r);
        if (p->diag->errors == 0) {     /* with errors, the diagnostics say it all */
            summary(p);
            emit_space_summary(stdout, ms, &r);
        }
    }
    return rc;
}

int main(int argc, char **argv) {
    Options o = {.format = DIAG_TEXT, .colour = -1};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;

    bool colour = o.format == DIAG_TEXT && use_colour(&o);
    bool later = o.emit != EMIT_SOURCE && o.emit != EMIT_AST;
    Compiled c;
    CompileOptions co = {.upto = later ? COMPILE_SPACE : COMPILE_PARSE, .space_optional = true};
    int status = nas_compile(&c, o.path, &co);
    if (c.done >= COMPILE_PARSE && o.emit == EMIT_SOURCE) print_source(stdout, c.prog->main->ast);
    if (c.done >= COMPILE_PARSE && o.emit == EMIT_AST) print_ast(stdout, &c.diag, c.prog->main->ast, true);
    int view = later && c.done >= COMPILE_SEMA ? space_phase(&c, status, &o) : 0;

    if (c.diag.count || o.format == DIAG_JSON) diag_print(&c.diag, stderr, o.format, colour);
    rc = status == 2 ? 2 : c.diag.errors ? 1 : view;
    nas_compile_free(&c);
    return rc;
}
