"""test_export_ops.py — every op nas has, exported with its trained weights (issue 17): a space
whose 8 architectures use conv2d (strided, same and valid padding, grouped, depthwise), dense,
batchnorm on images and on vectors, every activation, max and average pooling (with padding),
global pooling, flatten, add, concat, squeeze-excite, zero, dropout and identity, under the
dataset's normalisation. A search that keeps every trial's weights (--keep-weights), then:
- the weights files: one per (stage, architecture), SHA-256 and size as the store records them,
  nothing else in the directory, also after stage 2 is rerun;
- each architecture's ONNX file passes onnx.checker and, evaluated by the numpy reference in
  export_ref.py, gives nas's own logits (--predict) on 100 inputs within 1e-5; so does the
  generated PyTorch module (Debian's python3-torch);
- --predict on the test part gives the stored stage-2 accuracy;
- the refusals: no weights kept, a file that is not the one trained, an unknown output kind."""
import os, re, sqlite3, subprocess, sys
import numpy as np
import nastest
from nastest import check, finish, workdir, rows
import export_ref

SPACE = """use std.layers
dataset pics {
    format    synthetic(n = 200, seed = 2)
    input     [3, 12, 12]
    classes   5
    normalize mean(0.25), std(1.5)
}
model net(x: tensor[3, 12, 12]) -> tensor[5] {
    let a = x |> conv2d(8, kernel = 3) |> batchnorm |> relu
    let b = a |> conv2d(8, kernel = 3, stride = 2) |> sigmoid
    let c = a |> depthwise_conv2d(kernel = 3, stride = 2) |> swish
    let d = a |> conv2d(8, kernel = 1, stride = 2, groups = 4, bias = false) |> gelu
    let e = add(b, c) |> tanh
    let f = concat([e, d]) |> squeeze_excite
    let h = f |> conv2d(8, kernel = 3, padding = "valid") |> relu6
    h = add(h, zero(h))
    h = h |> choice pool [maxpool(2), avgpool(3, stride = 1, padding = "same")]
    x = oneof head [global_avgpool(h), flatten(h)]
    x = x |> dense(16) |> batchnorm |> relu
    if choice drop bool { x = dropout(x, 0.2) } else { x = identity(x) }
    return dense(x, 5)
}
reward { maximize accuracy }
controller { algorithm sobol  seed 3 }
search s1 { data pics.train split 80% / 20%  epochs 1  batch 32  trials 4 }
train s2 { from s1 top 2  data pics.train / pics.test  epochs 1  batch 32 }
"""

# every forward op of compiler/graph (loss and input aside), as `nasc --emit=graph` names them
NAS_OPS = {"conv2d", "dense", "batchnorm", "act relu", "act relu6", "act sigmoid", "act tanh", "act swish",
           "act gelu", "maxpool", "avgpool", "global_avgpool", "flatten", "dropout", "add", "concat",
           "mul_channel", "identity", "zero"}
ONNX_OPS = {"Conv", "Gemm", "BatchNormalization", "Relu", "Clip", "Sigmoid", "Tanh", "Mul", "MaxPool",
            "AveragePool", "GlobalAveragePool", "Flatten", "Add", "Concat", "Unsqueeze", "Identity",
            "ConstantOfShape", "Sub", "Div"}


def graph_ops(nas, arch):
    nasc = os.path.join(os.path.dirname(nastest.NASRUN), "nasc")
    out = subprocess.run([nasc, nas, "--emit=graph", "--arch", arch], capture_output=True, text=True,
                         env=nastest.env()).stdout
    ops = set()
    for line in out.splitlines():
        m = re.match(r"n\d+\s+(\S+)(?: (\S+))?", line)
        if m:
            ops.add(m.group(1) + (" " + m.group(2) if m.group(1) == "act" else ""))
            if m.group(1) == "conv2d":
                ops.add("conv2d " + " ".join(w for w in line.split()[3:7] if w[0] in "spg"))
    return ops


def main():
    d = workdir()
    nas = os.path.join(d, "ops.nas")
    open(nas, "w").write(SPACE)
    store, wdir = os.path.join(d, "ops.nasdb"), os.path.join(d, "ops.weights")
    nastest.run([nas, "--quiet", "--keep-weights"], check_rc=0)
    kept = export_ref.check_weights_files(store, wdir, "ops")
    s1 = {a for (a,) in rows(store, "SELECT DISTINCT arch_id FROM trial WHERE stage = 1 AND state = 1")}
    s2 = [a for (a,) in rows(store, "SELECT arch_id FROM trial WHERE stage = 2 AND state = 1 ORDER BY seq")]
    check({a for st, a, *_ in kept if st == 1} == s1, "ops: every stage-1 architecture kept its weights")
    check(sorted(a for st, a, *_ in kept if st == 2) == sorted(s2) and len(s2) == 2, "ops: both stage-2 weights")

    rng = np.random.default_rng(17)
    x = rng.uniform(-0.5, 1.5, (100, 3, 12, 12)).astype(np.float32)
    labels = rng.integers(0, 5, 100)
    nas_ops, onnx_ops = set(), set()
    for arch in sorted(s1 | set(s2)):
        nas_ops |= graph_ops(nas, arch)
        export_ref.check_architecture(nas, arch, d, x, labels, onnx_ops, "ops")
    check(NAS_OPS <= nas_ops, "ops: the architectures miss nas ops %s" % sorted(NAS_OPS - nas_ops))
    for conv in ("s2 p1 g1", "s2 p1 g8", "s2 p0 g4", "s1 p0 g1", "s1 p1 g1"):  # strided, depthwise, grouped, valid, same
        check("conv2d " + conv in nas_ops, "ops: no conv2d %s among %s" % (conv, sorted(nas_ops)))
    check(ONNX_OPS <= onnx_ops, "ops: the ONNX files miss %s" % sorted(ONNX_OPS - onnx_ops))
    for arch in s2:
        export_ref.check_predict_accuracy(nas, store, arch, d, "ops")

    # a rerun of stage 2 replaces its files: still one per architecture
    db = sqlite3.connect(store)
    db.execute("DELETE FROM trial WHERE stage = 2")
    db.commit()
    db.close()
    before = sorted(os.listdir(wdir))
    # and what an attempt killed while writing left is removed
    open(os.path.join(wdir, "e1-s2-%s.safetensors.tmp.99999" % s2[0]), "w").write("partial")
    nastest.run([nas, "--quiet", "--stage", "2"], check_rc=0)
    check(sorted(os.listdir(wdir)) == before, "ops: a rerun of stage 2 left %s (before: %s)" % (os.listdir(wdir), before))
    export_ref.check_weights_files(store, wdir, "ops rerun")

    # refusals
    other = sorted({"11AG", "12BH", "13CJ", "14DK", "15EM", "16FN", "17GP", "18HQ"} - s1 - set(s2))
    if other:
        p = nastest.run([nas, "--export-model", other[0], os.path.join(d, "x.onnx")], check_rc=2)
        check("keeps no weights" in p.stderr, "ops: no weights: %s" % p.stderr)
    p = nastest.run([nas, "--export-model", s2[0], os.path.join(d, "x.tflite")], check_rc=2)
    check(".onnx" in p.stderr and ".py" in p.stderr, "ops: unknown output kind: %s" % p.stderr)
    p = nastest.run([nas, "--export-model", s2[0]], check_rc=2)
    path = [r[2] for r in kept if r[0] == 2 and r[1] == s2[0]][0]
    data = bytearray(open(path, "rb").read())
    data[-1] ^= 1
    open(path, "wb").write(bytes(data))
    p = nastest.run([nas, "--export-model", s2[0], os.path.join(d, "x.onnx")], check_rc=2)
    check("not the file its trial wrote" in p.stderr, "ops: a changed weights file: %s" % p.stderr)
    p = nastest.run([nas, "--predict", s2[0]], check_rc=2)
    finish("export_ops")


main()
