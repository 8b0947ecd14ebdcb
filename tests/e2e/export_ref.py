"""export_ref.py — the independent side of the export tests: an ONNX evaluator written here with
numpy (float64; not nas's code, not onnxruntime: onnx is used only to parse the file and to run
its checker), and the checks that one exported architecture gives nas's own logits, through ONNX
and through the generated PyTorch module."""
import hashlib, importlib.util, json, os, sqlite3
import numpy as np
import onnx
from onnx import helper, numpy_helper
from numpy.lib.stride_tricks import sliding_window_view

import nastest
from nastest import check

TOL = 1e-5


def _windows(x, kh, kw, sh, sw):
    """[N, C, OH, OW, KH, KW] views of the windows of x [N, C, H, W]."""
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]


def _pad(x, pads, value=0.0):
    t, l, b, r = pads
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)


def _conv(ins, a):
    """Sum over the kernel's offsets of (strided input slice) x (weights at that offset), per group
    as one batched matmul: the memory of one output, not of every window."""
    x, w = ins[0], ins[1]
    group = a.get("group", 1)
    o, cg, kh, kw = w.shape
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])  # tap (i, j) reads the input at offset (i * dh, j * dw)
    xp = _pad(x, a.get("pads", [0, 0, 0, 0]))
    n, _, hp, wp = xp.shape
    oh, ow = (hp - (kh - 1) * dh - 1) // sh + 1, (wp - (kw - 1) * dw - 1) // sw + 1
    og = o // group
    wg = w.reshape(group, og, cg, kh, kw)
    y = np.zeros((group, n * oh * ow, og))
    for i in range(kh):
        for j in range(kw):
            y0, x0 = i * dh, j * dw
            xs = xp[:, :, y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw]  # [N, C, OH, OW]
            xs = xs.reshape(n, group, cg, oh, ow).transpose(1, 0, 3, 4, 2).reshape(group, n * oh * ow, cg)
            y += xs @ wg[:, :, :, i, j].transpose(0, 2, 1)
    y = y.reshape(group, n, oh, ow, og).transpose(1, 0, 4, 2, 3).reshape(n, o, oh, ow)
    if len(ins) > 2 and ins[2] is not None:
        y = y + ins[2][None, :, None, None]
    return y


def _gemm(ins, a):
    x, w = ins[0], ins[1]
    assert a.get("transA", 0) == 0 and a.get("alpha", 1.0) == 1.0 and a.get("beta", 1.0) == 1.0
    y = x @ (w.T if a.get("transB", 0) else w)
    return y + ins[2] if len(ins) > 2 and ins[2] is not None else y


def _batchnorm(ins, a):
    x, gamma, beta, mean, var = ins
    shape = (1, -1) + (1,) * (x.ndim - 2)
    r = lambda v: v.reshape(shape)
    return (x - r(mean)) / np.sqrt(r(var) + a.get("epsilon", 1e-5)) * r(gamma) + r(beta)


def _maxpool(ins, a):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    return _windows(_pad(ins[0], a.get("pads", [0, 0, 0, 0]), -np.inf), kh, kw, sh, sw).max(axis=(4, 5))


def _avgpool(ins, a):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    total = _windows(_pad(ins[0], pads), kh, kw, sh, sw).sum(axis=(4, 5))
    if a.get("count_include_pad", 0):
        return total / (kh * kw)
    ones = np.ones((1, 1) + ins[0].shape[2:])
    return total / _windows(_pad(ones, pads), kh, kw, sh, sw).sum(axis=(4, 5))


def _slice(ins, a):
    x, starts, ends = ins[0], ins[1], ins[2]
    axes = ins[3] if len(ins) > 3 else range(len(starts))
    steps = ins[4] if len(ins) > 4 else [1] * len(starts)
    idx = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        idx[int(ax)] = slice(int(s), int(min(e, x.shape[int(ax)])), int(st))
    return x[tuple(idx)]


def _unsqueeze(ins, a):
    y = ins[0]
    for ax in sorted(int(v) for v in ins[1]):
        y = np.expand_dims(y, ax)
    return y


OPS = {
    "Conv": _conv,
    "Gemm": _gemm,
    "BatchNormalization": _batchnorm,
    "Relu": lambda i, a: np.maximum(i[0], 0),
    "Sigmoid": lambda i, a: 1 / (1 + np.exp(-i[0])),
    "Tanh": lambda i, a: np.tanh(i[0]),
    "Clip": lambda i, a: np.clip(i[0], i[1], i[2]),
    "Add": lambda i, a: i[0] + i[1],
    "Sub": lambda i, a: i[0] - i[1],
    "Mul": lambda i, a: i[0] * i[1],
    "Div": lambda i, a: i[0] / i[1],
    "MaxPool": _maxpool,
    "AveragePool": _avgpool,
    "GlobalAveragePool": lambda i, a: i[0].mean(axis=(2, 3), keepdims=True),
    "Flatten": lambda i, a: i[0].reshape(int(np.prod(i[0].shape[:a.get("axis", 1)])), -1),
    "Identity": lambda i, a: i[0],
    "Concat": lambda i, a: np.concatenate(i, axis=a["axis"]),
    "Unsqueeze": _unsqueeze,
    "Shape": lambda i, a: np.array(i[0].shape, dtype=np.int64),
    "ConstantOfShape": lambda i, a: np.full(tuple(int(v) for v in i[0]), numpy_helper.to_array(a["value"])[0],
                                            dtype=np.float64),
    "Slice": _slice,
}


def evaluate(model, x):
    """The model's only output for input x, every op computed here in float64."""
    env = {}
    for t in model.graph.initializer:
        v = numpy_helper.to_array(t)
        env[t.name] = v.astype(np.float64) if v.dtype.kind == "f" else v
    env[model.graph.input[0].name] = x.astype(np.float64)
    for n in model.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        if n.op_type not in OPS:
            raise ValueError("op %s has no reference here" % n.op_type)
        env[n.output[0]] = OPS[n.op_type]([env[i] if i else None for i in n.input], attrs)
    return env[model.graph.output[0].name]


def nasrun(*args):
    """(exit code, stdout, stderr); the output is searched for sanitizer reports."""
    r = nastest.run(list(args))
    return r.returncode, r.stdout, r.stderr


def write_inputs(path, x, labels):
    with open(path, "w") as f:
        for row, y in zip(x.reshape(len(x), -1), labels):
            f.write("%d," % y + ",".join("%.9g" % v for v in row) + "\n")


def read_predictions(path):
    rows = [line.rstrip("\n").split(",") for line in open(path)][1:]
    labels = np.array([int(r[1]) for r in rows])
    pred = np.array([int(r[2]) for r in rows])
    logits = np.array([[float(v) for v in r[3:]] for r in rows])
    return labels, pred, logits


def max_err(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def check_architecture(nas, arch, work, x, labels, onnx_ops, tag):
    """Exports arch (ONNX and PyTorch) and checks both against nas's own logits on x. Returns the
    ONNX model (or None)."""
    inputs = os.path.join(work, "inputs-%s.csv" % tag)
    if not os.path.exists(inputs):
        write_inputs(inputs, x, labels)
    pred = os.path.join(work, "%s-%s.pred.csv" % (tag, arch))
    rc, out, err = nasrun(nas, "--predict", arch, inputs, "--output", pred)
    if not check(rc == 0, "%s: --predict %s exit %d: %s" % (tag, arch, rc, err)):
        return None
    got_labels, _, logits = read_predictions(pred)
    check(len(logits) == len(x) and (got_labels == labels).all(), "%s: --predict %s read the inputs back" % (tag, arch))

    path = os.path.join(work, "%s-%s.onnx" % (tag, arch))
    rc, out, err = nasrun(nas, "--export-model", arch, path)
    if not check(rc == 0, "%s: --export-model %s .onnx exit %d: %s" % (tag, arch, rc, err)):
        return None
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:
        check(False, "%s: %s fails onnx.checker: %s" % (tag, arch, e))
    check(model.opset_import[0].version >= 13, "%s: %s opset %d" % (tag, arch, model.opset_import[0].version))
    onnx_ops.update(n.op_type for n in model.graph.node)
    ref = evaluate(model, x)
    e = max_err(ref, logits)
    print("  %s %s: ONNX (numpy reference) vs nas: max |diff| %.2e over %s logits" % (tag, arch, e, ref.shape),
          flush=True)
    check(e <= TOL, "%s: %s: the ONNX model's logits differ from nas's by %.3g (> %g)" % (tag, arch, e, TOL))

    py = os.path.join(work, "m_%s_%s.py" % (tag, arch))
    rc, out, err = nasrun(nas, "--export-model", arch, py)
    if not check(rc == 0, "%s: --export-model %s .py exit %d: %s" % (tag, arch, rc, err)):
        return model
    import torch
    spec = importlib.util.spec_from_file_location("m_%s_%s" % (tag, arch), py)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.load()  # the weights beside it, as a user would
    check(os.path.exists(py[:-3] + ".safetensors"), "%s: %s: the .py's weights file" % (tag, arch))
    with torch.no_grad():
        tl = net(torch.from_numpy(x.astype(np.float32))).numpy()
    e = max_err(tl, logits)
    print("  %s %s: PyTorch module vs nas: max |diff| %.2e" % (tag, arch, e), flush=True)
    check(e <= TOL, "%s: %s: the PyTorch module's logits differ from nas's by %.3g (> %g)" % (tag, arch, e, TOL))
    # fine-tunable: in train mode it computes a loss whose gradient reaches every parameter
    net.train()
    loss = torch.nn.functional.cross_entropy(net(torch.from_numpy(x.astype(np.float32))), torch.from_numpy(labels))
    loss.backward()
    check(all(p.grad is not None for p in net.parameters()), "%s: %s: PyTorch gradients" % (tag, arch))
    return model


def check_weights_files(store, weights_dir, tag):
    """Every weights row names a file with the recorded SHA-256 and size; the directory holds those
    files and nothing else (no second file of a rerun, no temporary). Returns the rows."""
    db = sqlite3.connect(store)
    rows = db.execute("SELECT stage, arch_id, path, sha256, bytes FROM weights").fetchall()
    db.close()
    for stage, arch, path, sha, size in rows:
        ok = check(os.path.exists(path), "%s: weights file %s" % (tag, path))
        if ok:
            data = open(path, "rb").read()
            check(hashlib.sha256(data).hexdigest() == sha and len(data) == size,
                  "%s: %s: SHA-256 and size as recorded" % (tag, path))
            check(os.path.basename(path) == "e1-s%d-%s.safetensors" % (stage, arch), "%s: %s: its name" % (tag, path))
    files = sorted(os.listdir(weights_dir)) if os.path.isdir(weights_dir) else []
    check(files == sorted(os.path.basename(r[2]) for r in rows),
          "%s: the weights directory holds %s, the store names %s" % (tag, files, [r[2] for r in rows]))
    return rows


def check_predict_accuracy(nas, store, arch, work, tag):
    """--predict on the stage's own validation part gives the stored stage-2 accuracy."""
    db = sqlite3.connect(store)
    (metrics,) = db.execute("SELECT metrics FROM trial WHERE stage = 2 AND arch_id = ? AND state = 1",
                            (arch,)).fetchone()
    db.close()
    stored = json.loads(metrics)["accuracy"]
    pred = os.path.join(work, "%s-%s.test.csv" % (tag, arch))
    rc, out, err = nasrun(nas, "--predict", arch, "--output", pred)
    if not check(rc == 0, "%s: --predict %s (test part) exit %d: %s" % (tag, arch, rc, err)):
        return
    labels, p, _ = read_predictions(pred)
    acc = float((labels == p).mean())
    print("  %s %s: --predict accuracy %.6f, stored stage-2 accuracy %.6f" % (tag, arch, acc, stored), flush=True)
    check(abs(acc - stored) < 1e-9, "%s: %s: --predict accuracy %.6f, the store says %.6f" % (tag, arch, acc, stored))
    check("accuracy %.4f" % stored in out, "%s: %s: the printed accuracy: %s" % (tag, arch, out))
