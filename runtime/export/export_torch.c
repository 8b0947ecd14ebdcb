/* export_torch.c — the inference graph as a PyTorch nn.Module in Python source. Each conv,
 * dense and batchnorm node is a submodule `n<node>` (nn.Conv2d, nn.Linear, nn.BatchNorm1d/2d
 * with nas's eps and momentum, which follow PyTorch's convention), each dropout an nn.Dropout;
 * the rest are torch functions in forward(). load() reads the safetensors file itself (json,
 * struct and numpy: the safetensors package is not in Debian) and maps its names onto the
 * state dict: n<i>.w -> n<i>.weight, b -> bias, gamma/beta -> weight/bias, run_mean/run_var
 * -> running_mean/running_var. A branch that does not reach the output is left out (its
 * tensors are listed as UNUSED), so every parameter of the module gets a gradient. */
#include "export_int.h"
#include <stdlib.h>
#include "weights.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *act_call(GraphAct a)
{
    switch (a) {
    case GACT_RELU: return "F.relu(%s)";
    case GACT_RELU6: return "F.relu6(%s)";
    case GACT_SIGMOID: return "torch.sigmoid(%s)";
    case GACT_TANH: return "torch.tanh(%s)";
    case GACT_SWISH: return "F.silu(%s)";
    case GACT_GELU: return "F.gelu(%s, approximate='tanh')";
    case GACT_COUNT: break;
    }
    return "%s";
}

static void modules(FILE *f, const Graph *g, const bool *live)
{
    for (int i = 0; i < g->nfwd; i++) {
        if (!live[i]) continue;
        const GraphNode *nd = &g->nodes[i];
        const GraphAttr *a = &nd->a;
        const GraphShape *x = nd->nin ? &g->values[nd->in[0]].shape : NULL;
        switch (nd->op) {
        case GOP_CONV2D:
            fprintf(f,
                    "        self.n%d = nn.Conv2d(%lld, %d, (%d, %d), stride=(%d, %d), padding=(%d, %d), "
                    "dilation=(%d, %d), groups=%d, bias=%s)\n",
                    i, (long long)x->d[0], (int)g->values[nd->out[0]].shape.d[0], a->kh, a->kw, a->sh, a->sw, a->ph,
                    a->pw, a->dh, a->dw, a->groups, a->has_bias ? "True" : "False");
            break;
        case GOP_DENSE:
            fprintf(f, "        self.n%d = nn.Linear(%lld, %d, bias=%s)\n", i, (long long)x->d[0], a->out,
                    a->has_bias ? "True" : "False");
            break;
        case GOP_BATCHNORM:
            fprintf(f, "        self.n%d = nn.BatchNorm%dd(%lld, eps=%.9g, momentum=%.9g)\n", i, x->rank == 3 ? 2 : 1,
                    (long long)x->d[0], (double)a->eps, (double)a->momentum);
            break;
        case GOP_DROPOUT: fprintf(f, "        self.n%d = nn.Dropout(%.9g)\n", i, (double)a->p); break;
        default: break;
        }
    }
}

static int forward(FILE *f, const Graph *g, const bool *live, char *err, size_t errsize)
{
    for (int i = 0; i < g->nfwd; i++) {
        if (!live[i]) continue;
        const GraphNode *nd = &g->nodes[i];
        const GraphAttr *a = &nd->a;
        if (nd->op == GOP_INPUT || nd->op == GOP_LABELS || nd->op == GOP_SOFTMAX_XENT) continue;
        int y = nd->out[0], x = nd->nin ? nd->in[0] : -1;
        fprintf(f, "        v%d = ", y);
        switch (nd->op) {
        case GOP_CONV2D:
        case GOP_DENSE:
        case GOP_BATCHNORM:
        case GOP_DROPOUT: fprintf(f, "self.n%d(v%d)\n", i, x); break;
        case GOP_ACT: {
            char xs[16];
            snprintf(xs, sizeof xs, "v%d", x);
            fprintf(f, act_call(a->act), xs);
            fprintf(f, "\n");
            break;
        }
        case GOP_MAXPOOL:
            fprintf(f, "F.max_pool2d(v%d, (%d, %d), (%d, %d), (%d, %d))\n", x, a->kh, a->kw, a->sh, a->sw, a->ph,
                    a->pw);
            break;
        case GOP_AVGPOOL:
            fprintf(f, "F.avg_pool2d(v%d, (%d, %d), (%d, %d), (%d, %d), count_include_pad=False)\n", x, a->kh, a->kw,
                    a->sh, a->sw, a->ph, a->pw);
            break;
        case GOP_GLOBAL_AVGPOOL: fprintf(f, "v%d.mean((2, 3))\n", x); break;
        case GOP_FLATTEN: fprintf(f, "torch.flatten(v%d, 1)\n", x); break;
        case GOP_IDENTITY: fprintf(f, "v%d\n", x); break;
        case GOP_ADD: fprintf(f, "v%d + v%d\n", x, nd->in[1]); break;
        case GOP_CONCAT:
            fprintf(f, "torch.cat([");
            for (int k = 0; k < nd->nin; k++) fprintf(f, "%sv%d", k ? ", " : "", nd->in[k]);
            fprintf(f, "], 1)\n");
            break;
        case GOP_MUL_CHANNEL: fprintf(f, "v%d * v%d[:, :, None, None]\n", x, nd->in[1]); break;
        case GOP_CROP: {
            const GraphShape *xs = &g->values[x].shape;
            fprintf(f, "v%d[:, :, %d:%lld, %d:%lld]\n", x, a->crop[0], (long long)(xs->d[1] - a->crop[2]), a->crop[1],
                    (long long)(xs->d[2] - a->crop[3]));
            break;
        }
        case GOP_ZERO:
            if (a->sh > 1) fprintf(f, "torch.zeros_like(v%d[:, :, ::%d, ::%d])\n", x, a->sh, a->sw);
            else fprintf(f, "torch.zeros_like(v%d)\n", x);
            break;
        default: snprintf(err, errsize, "node %d: %s has no PyTorch form", i, graph_op_name(nd->op)); return -1;
        }
    }
    return 0;
}

/* The weights file's names of each submodule's tensors, as Python dict entries; with
 * unused, the names of a dead branch's tensors (a Python tuple's entries). */
static void name_map(FILE *f, const Graph *g, const bool *live, bool unused)
{
    static const struct {
        const char *role, *torch;
    } roles[] = {
        {"w", "weight"},           {"b", "bias"}, {"gamma", "weight"}, {"beta", "bias"}, {"run_mean", "running_mean"},
        {"run_var", "running_var"}};
    for (int v = 0; v < g->nvalues; v++) {
        char name[WEIGHTS_NAME_MAX];
        weights_name(g, v, name);
        const char *dot = strchr(name, '.');
        if (!dot || export_value_live(g, live, v) == unused) continue;
        if (unused) {
            fprintf(f, "    \"%s\",\n", name);
            continue;
        }
        for (size_t r = 0; r < sizeof roles / sizeof *roles; r++)
            if (!strcmp(dot + 1, roles[r].role))
                fprintf(f, "    \"%s\": \"%.*s.%s\",\n", name, (int)(dot - name), name, roles[r].torch);
    }
}

static const char prologue[] = "import json, os, struct\n"
                               "import numpy as np\n"
                               "import torch\n"
                               "import torch.nn as nn\n"
                               "import torch.nn.functional as F\n\n";

static const char loader[] =
    "def read_safetensors(path):\n"
    "    \"\"\"The tensors of a safetensors file (F32 only, as nas writes them) as numpy arrays.\"\"\"\n"
    "    with open(path, 'rb') as f:\n"
    "        data = f.read()\n"
    "    (n,) = struct.unpack('<Q', data[:8])\n"
    "    header = json.loads(data[8:8 + n])\n"
    "    body = data[8 + n:]\n"
    "    out = {}\n"
    "    for name, t in header.items():\n"
    "        if name == '__metadata__':\n"
    "            continue\n"
    "        if t['dtype'] != 'F32':\n"
    "            raise ValueError('%s: tensor %s is %s, not F32' % (path, name, t['dtype']))\n"
    "        b, e = t['data_offsets']\n"
    "        out[name] = np.frombuffer(body[b:e], dtype='<f4').reshape(t['shape']).copy()\n"
    "    return out\n\n\n"
    "def load(path=None):\n"
    "    \"\"\"The model with the trained weights of `path` (default: WEIGHTS beside this file), in eval mode.\"\"\"\n"
    "    if path is None:\n"
    "        if WEIGHTS is None:\n"
    "            raise ValueError('this module was exported untrained: load(path) needs a weights file')\n"
    "        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS)\n"
    "    tensors = read_safetensors(path)\n"
    "    if set(tensors) != set(NAMES) | set(UNUSED):\n"
    "        raise ValueError('%s: its tensors are not this architecture\\'s' % path)\n"
    "    m = Net()\n"
    "    state = m.state_dict()\n"
    "    for name, key in NAMES.items():\n"
    "        if tuple(state[key].shape) != tensors[name].shape:\n"
    "            raise ValueError('%s: tensor %s has shape %s, %s wants %s' % (path, name, tensors[name].shape, key,\n"
    "                                                                    tuple(state[key].shape)))\n"
    "        state[key] = torch.from_numpy(tensors[name])\n"
    "    m.load_state_dict(state)\n"
    "    return m.eval()\n";

int export_torch(const ExportModel *m, const char *path, const char *weights_file, char *err, size_t errsize)
{
    const Graph *g = m->g;
    const bool *live = graph_live(g, true);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "\"\"\"Architecture %s of %s as a PyTorch module, written by nas %s.\n\n", m->name ? m->name : "?",
            m->source_name ? m->source_name : "?", NAS_VERSION);
    /* the module's name: the file's, without its directory and .py */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int blen = (int)strlen(base) - (strlen(base) > 3 && !strcmp(base + strlen(base) - 3, ".py") ? 3 : 0);
    char dims[64];
    graph_shape_str(&g->values[g->input].shape, dims, sizeof dims);
    if (weights_file)
        fprintf(f, "    import %.*s\n    m = %.*s.load()   # the trained weights (%s), in eval mode\n", blen, base, blen,
                base, weights_file);
    else fprintf(f, "    import %.*s\n    m = %.*s.Net()    # untrained: PyTorch's initialisation\n", blen, base, blen, base);
    fprintf(f, "    logits = m(x)     # x: %s float32, B examples as the dataset's files hold them\n\n", dims);
    fprintf(f, "The dataset's input normalisation is the first step of forward().\n\"\"\"\n");
    fputs(prologue, f);
    if (weights_file) fprintf(f, "WEIGHTS = \"%s\"\n\n", weights_file);
    else fprintf(f, "WEIGHTS = None  # exported untrained: load(path) needs a weights file\n\n");
    fprintf(f, "# weights-file name -> state-dict key\nNAMES = {\n");
    name_map(f, g, live, false);
    fprintf(f, "}\n# the weights of branches that do not reach the output (not in the module)\nUNUSED = (\n");
    name_map(f, g, live, true);
    fprintf(f, ")\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n");
    fprintf(f, "        self.normalize = %s\n        self.mean = %.9g\n        self.std = %.9g\n",
            m->normalize ? "True" : "False", (double)m->mean, (double)m->std);
    modules(f, g, live);
    fprintf(f, "\n    def forward(self, x):\n");
    fprintf(f, "        if self.normalize:\n            x = (x - self.mean) / self.std\n");
    fprintf(f, "        v%d = x\n", g->input);
    int rc = forward(f, g, live, err, errsize);
    fprintf(f, "        return v%d\n\n\n", g->logits);
    fputs(loader, f);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    return rc;
}
