/* nasc.c — the compiler driver: read → parse (program_load) → sema_check → model_lower →
 * check_space → summary (or the view asked for with --emit, --sample, --decode).
 * Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage or I/O error on
 * the main file. Diagnostics go to stderr, results (--emit, summary) to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "print.h"
#include "program.h"
#include "emit.h"
#include "sema.h"
#include "config.h"

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
          "  --settings-doc         print the settings tables of docs/settings.md (from the table nasc checks)\n"
          "  --version              print the version\n"
          "  --help                 this text\n"
          "\n"
          "Standard modules (use std.x) come from $NAS_STDLIB, else " NAS_STDLIB_DIR ".\n"
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
        if (!strcmp(a, "--settings-doc")) { sema_write_settings_doc(stdout); return 0; }
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

/* Counts decisions (choice, oneof) in a subtree: the space phase will give the real table. */
static int count_decisions(const Node *n);

static int count_list(const NodeList *l) {
    int c = 0;
    for (int i = 0; i < l->count; i++) c += count_decisions(l->items[i]);
    return c;
}

static int count_decisions(const Node *n) {
    if (!n) return 0;
    switch (n->kind) {
    case N_LET: return count_decisions(n->let.value);
    case N_ASSIGN: return count_decisions(n->assign.value);
    case N_RETURN: return count_decisions(n->ret.value);
    case N_REPEAT: return count_decisions(n->repeat.count) + count_list(&n->repeat.body);
    case N_IF: return count_decisions(n->if_.cond) + count_list(&n->if_.then) + count_list(&n->if_.els);
    case N_LIST: return count_list(&n->list.items);
    case N_CALL: return count_decisions(n->call.callee) + count_list(&n->call.args);
    case N_ARG: return count_decisions(n->arg.value);
    case N_MEMBER: return count_decisions(n->member.object);
    case N_UNARY: return count_decisions(n->unary.operand);
    case N_BINARY: return count_decisions(n->binary.lhs) + count_decisions(n->binary.rhs);
    case N_PIPE: return count_decisions(n->pipe.lhs) + count_decisions(n->pipe.rhs);
    case N_SPLIT: return count_decisions(n->split.data) + count_decisions(n->split.ratio);
    case N_CHOICE:
        return 1 + count_list(&n->choice.items) + count_decisions(n->choice.lo) +
               count_decisions(n->choice.hi) + count_decisions(n->choice.step) + count_decisions(n->choice.k);
    case N_ONEOF: return 1 + count_list(&n->oneof.alts);
    case N_BLOCK: case N_MODEL: return count_list(&n->fndef.body);
    default: return 0;
    }
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
    int shared = 0;
    for (int i = 0; i < f->decls.count; i++)
        if (f->decls.items[i]->kind == N_LET) shared += count_decisions(f->decls.items[i]);
    printf("  decisions: %d shared (top-level let)\n", shared);
    for (int i = 0; i < f->decls.count; i++) {
        const Node *d = f->decls.items[i];
        if (d->kind == N_BLOCK || d->kind == N_MODEL)
            printf("    %s %s: %d%s\n", ast_kind_name(d->kind), d->fndef.name, count_decisions(d),
                   d->kind == N_BLOCK ? " per instance" : "");
    }
}

/* The memory estimate is at the first search's batch (the largest, if decided) and optimizer. */
static void check_options_training(CheckOptions *co, const Program *p, const NasConfig *c) {
    if (!c->nsearches) return;
    const NasTraining *t = &c->searches[0].training;
    co->batch = config_batch_max(p, t);
    co->optim_slots = t->optimizer.kind != NAS_OPT_SGD ? 2 : t->optimizer.momentum != 0;
}

static bool declares(const Program *p, NodeKind kind) {
    const AstFile *f = p->main->ast;
    for (int i = 0; i < f->decls.count; i++)
        if (f->decls.items[i]->kind == kind) return true;
    return false;
}

/* The phases after sema: lower the model to its space, then the view asked for. */
static int space_phase(Program *p, Arena *arena, const Options *o) {
    bool wants_space = o->emit == EMIT_SPACE || o->emit == EMIT_GRAPH || o->decode || o->sample;
    /* A module of declarations has no space; a file that searches needs a model. */
    if (!declares(p, N_MODEL) && !declares(p, N_SEARCH)) {
        if (wants_space) fprintf(stderr, "nasc: %s declares no model, so it has no space\n", o->path);
        summary(p);
        return wants_space ? 1 : 0;
    }
    ModelSpace *ms = model_lower(p, NULL, arena);
    if (!ms) return 1;
    int rc = 0;
    if (o->emit == EMIT_SPACE) space_write_json(model_space(ms), stdout);
    else if (o->emit == EMIT_GRAPH) rc = emit_graph(stdout, ms, o->arch, o->out_format && !strcmp(o->out_format, "dot"));
    else if (o->decode) rc = emit_decode(stdout, ms, o->decode);
    else if (o->sample) rc = emit_samples(stdout, ms, o->sample, o->seed ? o->seed : 1, o->method ? o->method : "random");
    else {
        CheckOptions co = check_defaults();
        check_options_training(&co, p, config_build(p));
        CheckResult r = {0};
        if (!o->no_check) check_space(ms, &co, &r);
        if (p->diag->errors == 0) {     /* with errors, the diagnostics say it all */
            summary(p);
            emit_space_summary(stdout, ms, &co, &r);
        }
    }
    model_space_free(ms);
    return rc;
}

int main(int argc, char **argv) {
    Options o = {.format = DIAG_TEXT, .colour = -1};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;

    Arena arena;
    arena_init(&arena);
    Diag diag;
    diag_init(&diag, &arena);
    bool colour = o.format == DIAG_TEXT && use_colour(&o);

    Program *p = program_load(&arena, &diag, o.path, NULL);
    bool ok = p && diag.errors == 0;
    if (ok && o.emit == EMIT_SOURCE) print_source(stdout, p->main->ast);
    if (ok && o.emit == EMIT_AST) print_ast(stdout, &diag, p->main->ast, true);
    bool later = o.emit != EMIT_SOURCE && o.emit != EMIT_AST;
    if (ok && later) ok = sema_check(p) && diag.errors == 0;
    int view = ok && later ? space_phase(p, &arena, &o) : 0;

    if (diag.count || o.format == DIAG_JSON) diag_print(&diag, stderr, o.format, colour);
    rc = !p ? 2 : diag.errors ? 1 : view;
    diag_free(&diag);
    arena_free(&arena);
    return rc;
}
