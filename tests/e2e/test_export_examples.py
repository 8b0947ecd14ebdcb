"""test_export_examples.py — sampled architectures of every example space (examples/*.nas),
exported with their trained weights (issue 17). Each example is searched as written except what
makes it a test: its dataset becomes synthetic data of the same shape (its normalisation kept),
an external trainer gives way to the built-in one, a proxy design is left out, and every stage is
cut to 3 trials, 2 of them retrained, 1 epoch. Then, for each architecture with weights: the ONNX
file passes onnx.checker and the numpy reference evaluator (export_ref.py) gives nas's own logits
on 100 inputs within 1e-5, as does the generated PyTorch module; --predict gives the stored stage-2 accuracy; and a
train stage keeps its weights while a search keeps none unless --keep-weights says so.
mobile_space, the largest, is test_export_mobile.py."""
import glob, os, re
import numpy as np
import nastest
from nastest import check, finish, workdir, rows
import export_ref

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def shrink(text):
    """The example as a test-sized search of the same space. Images as large as mobile_space's
    (3x32x32, nets of up to 10^8 FLOPs) get 20 examples in batches of 4 and 2 trials, 1 retrained."""
    large = int(np.prod(input_shape(text))) >= 3072

    def dataset(m):
        body = re.sub(r"^\s*(format|path)\b.*\n", "", m.group(2), flags=re.M)
        return "dataset %s {\n    format synthetic(n = %d, seed = 1)\n%s}" % (m.group(1), 20 if large else 300, body)
    text = re.sub(r"^dataset\s+(\w+)\s*\{([^}]*)\}", dataset, text, flags=re.M)
    text = re.sub(r"^trainer\s+\w+\s*\{[^}]*\}", "", text, flags=re.M)
    # a proxy design would train its references fully before the search: test_proxy_design.py's subject, not this one's
    text = re.sub(r"^proxy\s+\w+\s*\{[^}]*\}", "", text, flags=re.M)

    def stage(m):
        body = re.sub(r"^\s*(max_failed|stop when|time_limit|parallel)\b.*\n", "", m.group(3), flags=re.M)
        body = re.sub(r"^(\s*trials\s+)\d+", r"\g<1>%d" % (2 if large else 3), body, flags=re.M)
        body = re.sub(r"^(\s*epochs\s+)\d+\s*$", r"\g<1>1", body, flags=re.M)
        body = re.sub(r"(\btop\s+)\d+", r"\g<1>%d" % (1 if large else 2), body)
        if large:
            body = re.sub(r"^(\s*batch\s+)\d+\s*$", r"\g<1>4", body, flags=re.M)
        return "%s %s {%s}" % (m.group(1), m.group(2), body)
    return re.sub(r"^(search|train)\s+(\w+)\s*\{([^}]*)\}", stage, text, flags=re.M)


def input_shape(text):
    m = re.search(r"^\s*input\s+\[([\d,\s]+)\]", text, flags=re.M)
    return tuple(int(v) for v in m.group(1).split(","))


def classes(text):
    return int(re.search(r"^\s*classes\s+(\d+)", text, flags=re.M).group(1))


def main(only=None, skip=(), name_of_test="export_examples"):
    d = workdir()
    rng = np.random.default_rng(23)
    for path in sorted(glob.glob(os.path.join(EXAMPLES, "*.nas"))):
        name = os.path.basename(path)[:-4]
        if name in skip or (only and name not in only):
            continue
        text = open(path).read()
        has_train = re.search(r"^train\s+\w+", text, flags=re.M) is not None
        nas = os.path.join(d, name + ".nas")
        open(nas, "w").write(shrink(text))
        store, wdir = os.path.join(d, name + ".nasdb"), os.path.join(d, name + ".weights")
        # a file with a train stage keeps the weights of that stage only; one without keeps its search's on request
        p = nastest.run([nas, "--quiet"] + ([] if has_train else ["--keep-weights"]), check_rc=0)
        if p.returncode != 0:
            continue
        kept = export_ref.check_weights_files(store, wdir, name)
        stages = {st for st, *_ in kept}
        check(stages == ({2} if has_train else {1}), "%s: weights kept of stages %s" % (name, sorted(stages)))
        done = rows(store, "SELECT count(*) FROM trial WHERE stage = ? AND state IN (1, 2)", (2 if has_train else 1,))
        check(len({a for _, a, *_ in kept}) == len({a for (a,) in rows(
            store, "SELECT arch_id FROM trial WHERE stage = ? AND state IN (1, 2)", (2 if has_train else 1,))}) > 0,
            "%s: one weights file per trained architecture (%d trials)" % (name, done[0][0]))
        x = rng.uniform(0, 1, (100,) + input_shape(text)).astype(np.float32)
        labels = rng.integers(0, classes(text), 100)
        ops = set()
        for arch in sorted({a for _, a, *_ in kept}):
            export_ref.check_architecture(nas, arch, d, x, labels, ops, name)
            if has_train:
                export_ref.check_predict_accuracy(nas, store, arch, d, name)
    finish(name_of_test)


if __name__ == "__main__":
    main(skip={"mobile_space"})  # test_export_mobile.py: its own ctest, so the two run side by side
