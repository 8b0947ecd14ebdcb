"""test_export_arch.py — `nasrun FILE --export-arch ID OUT.py`: an architecture untrained, as a
PyTorch module for another trainer (tests/bench/search_vs_optuna.py trains them). For each
architecture of a small conditional space (a oneof branch, a searched repeat count, a skip
connection): Net() has exactly the parameters `nasc --decode` counts for the ID, maps a batch
to the logits' shape and normalises with the file's dataset statistics; no store is opened
or created; an .onnx file (whose weights are its initializers) and a foreign ID are refused."""
import importlib.util, os, re, subprocess, sys
import nastest
from nastest import check, finish, workdir

SPACE = '''use std.layers

dataset d {
    format    synthetic(n = 100, seed = 1)
    input     [1, 8, 8]
    classes   4
    normalize mean(0.25), std(0.5)
}

model m(x: tensor[1, 8, 8]) -> tensor[4] {
    let w = choice width [8, 16]
    x = oneof head [conv2d(x, w, kernel = choice k [1, 3], padding = "same") |> batchnorm, x]
    repeat choice depth 1 .. 2 {
        let y = conv2d(x, 4, kernel = 3, padding = "same") |> relu
        if choice skip bool { y = y + conv2d(x, 4, kernel = 1) }
        x = y
    }
    return x |> choice pool [maxpool(2), avgpool(2)] |> flatten |> dense(4)
}

reward { maximize accuracy }

search s {
    data   d.train split 80% / 20%
    epochs 1
    trials 2
}
'''


def main():
    try:
        import torch
    except ImportError:
        print("export_arch: no torch for", sys.executable, "- skipped")
        return
    d = workdir()
    nas = os.path.join(d, "arch.nas")
    open(nas, "w").write(SPACE)
    nasc = os.path.join(os.path.dirname(nastest.NASRUN), "nasc")
    sample = subprocess.run([nasc, "--sample", "12", "--seed", "5", nas], capture_output=True, text=True,
                            env=nastest.env(), check=True).stdout
    archs = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+params (\d+)", sample, flags=re.M)}
    check(len(archs) >= 4, "nasc --sample gave %d distinct architectures" % len(archs))
    for i, (arch, params) in enumerate(sorted(archs.items())):
        out = os.path.join(d, "a%d.py" % i)
        p = nastest.run([nas, "--export-arch", arch, out], check_rc=0)
        if p.returncode:
            continue
        spec = importlib.util.spec_from_file_location("a%d" % i, out)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        net = mod.Net()
        n = sum(t.numel() for t in net.parameters())
        check(n == params, "%s: Net() has %d parameters, nasc counts %d" % (arch, n, params))
        check(net.normalize and abs(net.mean - 0.25) < 1e-6 and abs(net.std - 0.5) < 1e-6,
              "%s: the dataset's normalisation (%s, %s, %s)" % (arch, net.normalize, net.mean, net.std))
        y = net(torch.rand(3, 1, 8, 8))
        check(tuple(y.shape) == (3, 4), "%s: logits of shape %s" % (arch, tuple(y.shape)))
        try:
            mod.load()
            check(False, "%s: load() without a weights file must refuse" % arch)
        except ValueError as e:
            check("untrained" in str(e), "%s: load() says why: %s" % (arch, e))
    check(not os.path.exists(os.path.join(d, "arch.nasdb")), "--export-arch created a store")
    p = nastest.run([nas, "--export-arch", next(iter(archs)), os.path.join(d, "a.onnx")], check_rc=2)
    check("writes FILE.py" in p.stderr, "an .onnx refused: " + p.stderr)
    p = nastest.run([nas, "--export-arch", "1ZZZZZ", os.path.join(d, "b.py")], check_rc=2)
    check("architecture ID" in p.stderr and not os.path.exists(os.path.join(d, "b.py")),
          "a foreign ID refused: " + p.stderr)
    finish("export_arch")


main()
