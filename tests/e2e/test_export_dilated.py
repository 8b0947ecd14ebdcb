"""test_export_dilated.py — dilated convolutions and `crop` (issue 18) end to end: a space of
DARTS-style ops (std.blocks' dil_conv at dilation 2 and 3, a dilated dense conv2d with "same"
padding, factorized_reduce, whose shifted half is a crop) trained one epoch with its weights
kept; then each architecture's ONNX file passes onnx.checker and, evaluated by the numpy
reference in export_ref.py (float64, not nas's code), gives nas's own logits within 1e-5, and so
does the generated PyTorch module (nn.Conv2d with dilation=, tensor slicing for the crop). The
ONNX files carry `dilations` 2 and 3 and a Slice; the PyTorch source says dilation=(2, 2)."""
import os, re
import numpy as np
import onnx
import nastest
from nastest import check, finish, workdir, rows
import export_ref

SPACE = """use std.layers
use std.blocks
dataset pics {
    format    synthetic(n = 160, seed = 4)
    input     [3, 12, 12]
    classes   4
}
model net(x: tensor[3, 12, 12]) -> tensor[4] {
    x = x |> conv2d(8, kernel = 3, dilation = 2) |> batchnorm |> relu
    x = x |> choice op [dil_conv(8, dilation = 2), dil_conv(8, kernel = 5, dilation = 3, stride = 2),
                        conv2d(8, kernel = 3, dilation = 3, padding = "valid")]
    x = x |> factorized_reduce(8)
    return x |> global_avgpool |> dense(4)
}
reward { maximize accuracy }
controller { algorithm sobol  seed 1 }
search s1 { data pics.train split 75% / 25%  epochs 1  batch 16  trials 3 }
"""


def main():
    d = workdir()
    nas = os.path.join(d, "dilated.nas")
    open(nas, "w").write(SPACE)
    store = os.path.join(d, "dilated.nasdb")
    nastest.run([nas, "--quiet", "--keep-weights"], check_rc=0)
    archs = sorted({a for (a,) in rows(store, "SELECT DISTINCT arch_id FROM trial WHERE stage = 1 AND state = 1")})
    check(len(archs) == 3, "dilated: every op of the choice trained: %s" % archs)
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (40, 3, 12, 12)).astype(np.float32)
    labels = rng.integers(0, 4, 40)
    onnx_ops, dilations, py = set(), set(), ""
    for arch in archs:
        model = export_ref.check_architecture(nas, arch, d, x, labels, onnx_ops, "dilated")
        if model is None:
            continue
        for n in model.graph.node:
            for at in n.attribute:
                if n.op_type == "Conv" and at.name == "dilations":
                    dilations.add(tuple(onnx.helper.get_attribute_value(at)))
        py += open(os.path.join(d, "m_dilated_%s.py" % arch)).read()
    check({(1, 1), (2, 2), (3, 3)} <= dilations, "dilated: the ONNX dilations %s" % sorted(dilations))
    check("Slice" in onnx_ops, "dilated: the crop as an ONNX Slice: %s" % sorted(onnx_ops))
    check("dilation=(2, 2)" in py and "dilation=(3, 3)" in py, "dilated: PyTorch dilation= in the modules")
    check(re.search(r"\[:, :, 1:\d+, 1:\d+\]", py) is not None, "dilated: the crop as PyTorch slicing")
    finish("export_dilated")


main()
