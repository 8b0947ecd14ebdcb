/* graph_print.c — the graph as text (one line per node) and as Graphviz dot. */
#include "graph_int.h"
#include <inttypes.h>

/* Op name with its attributes, e.g. "conv2d 3x3 s2 p1 g32 +b" or "act relu6". */
static void op_label(const GraphNode *nd, char *buf, size_t n)
{
    const GraphAttr *a = &nd->a;
    const char *op = graph_op_name(nd->op);
    switch (nd->op) {
    case GOP_CONV2D:
    case GOP_CONV2D_BWD_DATA:
    case GOP_CONV2D_BWD_FILTER: {
        char dil[16] = "";
        if (a->dh != 1) snprintf(dil, sizeof dil, " d%d", a->dh);
        snprintf(buf, n, "%s %d %dx%d s%d p%d g%d%s%s", op, a->out, a->kh, a->kw, a->sh, a->ph, a->groups, dil,
                 a->has_bias ? " +b" : "");
        break;
    }
    case GOP_DENSE:
    case GOP_DENSE_BWD_DATA:
    case GOP_DENSE_BWD_FILTER: snprintf(buf, n, "%s %d%s", op, a->out, a->has_bias ? " +b" : ""); break;
    case GOP_MAXPOOL:
    case GOP_AVGPOOL:
    case GOP_MAXPOOL_BWD:
    case GOP_AVGPOOL_BWD: snprintf(buf, n, "%s %dx%d s%d p%d", op, a->kh, a->kw, a->sh, a->ph); break;
    case GOP_ACT:
    case GOP_ACT_BWD: snprintf(buf, n, "%s %s", op, graph_act_name(a->act)); break;
    case GOP_BATCHNORM: snprintf(buf, n, "%s eps=%g m=%g", op, (double)a->eps, (double)a->momentum); break;
    case GOP_DROPOUT:
    case GOP_DROPOUT_BWD: snprintf(buf, n, "%s p=%g", op, (double)a->p); break;
    case GOP_ZERO: snprintf(buf, n, "%s s%d", op, a->sh); break;
    case GOP_CROP:
    case GOP_CROP_BWD:
        snprintf(buf, n, "%s t%d l%d b%d r%d", op, a->crop[0], a->crop[1], a->crop[2], a->crop[3]);
        break;
    case GOP_SLICE_CHANNELS: snprintf(buf, n, "%s [%d:%d]", op, a->begin, a->begin + a->count); break;
    default: snprintf(buf, n, "%s", op);
    }
}

static void value_ref(const Graph *g, int v, FILE *out)
{
    char s[96];
    if (v < 0 || v >= g->nvalues) {
        fprintf(out, "-");
        return;
    }
    const GraphValue *val = &g->values[v];
    fprintf(out, "%%%d", v);
    if (val->name) fprintf(out, ":%s", val->name);
    static const char *const where[] = {"", "@param+", "@grad+", "@state+"};
    if (val->storage != GSTORE_ARENA) fprintf(out, "%s%" PRId64, where[val->storage], val->flat);
    fprintf(out, "%s", graph_shape_str(&val->shape, s, sizeof s));
}

void graph_print_text(const Graph *g, FILE *out)
{
    fprintf(out, "graph %016" PRIx64 ": %d nodes (%d forward), %d values, %" PRId64 " params, %" PRId64 " state\n",
            graph_hash(g), g->nnodes, g->nfwd, g->nvalues, g->nparams, g->nstate);
    for (int n = 0; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        char lab[128];
        op_label(nd, lab, sizeof lab);
        fprintf(out, "n%-3d %-30s (", n, lab);
        for (int k = 0; k < nd->nin; k++) {
            if (k) fprintf(out, ", ");
            value_ref(g, nd->in[k], out);
        }
        fprintf(out, ") -> ");
        for (int k = 0; k < nd->nout; k++) {
            if (k) fprintf(out, ", ");
            value_ref(g, nd->out[k], out);
        }
        if (nd->fwd >= 0) fprintf(out, "   ; d n%d", nd->fwd);
        if (nd->name) fprintf(out, "   ; %s", nd->name);
        fputc('\n', out);
    }
}

static void dot_escaped(const char *s, FILE *out)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
}

void graph_print_dot(const Graph *g, FILE *out)
{
    fprintf(out, "digraph nas {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    for (int n = 0; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        char lab[128], s[96];
        op_label(nd, lab, sizeof lab);
        fprintf(out, "  n%d [label=\"", n);
        if (nd->name) {
            dot_escaped(nd->name, out);
            fputs("\\n", out);
        }
        dot_escaped(lab, out);
        if (nd->nout > 0 && nd->out[0] >= 0)
            fprintf(out, "\\n%s", graph_shape_str(&g->values[nd->out[0]].shape, s, sizeof s));
        fprintf(out, "\"%s];\n",
                nd->phase == GPHASE_BACKWARD ? ", style=dashed, color=gray40"
                : nd->phase == GPHASE_LOSS   ? ", style=bold"
                                             : "");
    }
    for (int n = 0; n < g->nnodes; n++) {
        const GraphNode *nd = &g->nodes[n];
        for (int k = 0; k < nd->nin; k++) {
            int v = nd->in[k];
            if (v < 0 || v >= g->nvalues || g->values[v].producer < 0) continue;
            fprintf(out, "  n%d -> n%d%s;\n", g->values[v].producer, n,
                    nd->phase == GPHASE_BACKWARD ? " [color=gray60]" : "");
        }
    }
    fprintf(out, "}\n");
}
