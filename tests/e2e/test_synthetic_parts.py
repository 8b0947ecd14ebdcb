"""test_synthetic_parts.py — a synthetic dataset's train and test parts come from the same class
patterns: examples/tiny.nas with a stage 2 (its best architecture trained on blobs.train,
validated on blobs.test) reaches an accuracy within 0.1 of its stage-1 accuracy (validated on
20% of blobs.train). With the test part drawn from other patterns stage 2 scored 0.36 after
0.96 in stage 1."""
import os
import nastest as T

d = T.workdir()
tiny = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "tiny.nas")
f = os.path.join(d, "tiny2.nas")
with open(f, "w") as out:
    out.write(open(tiny).read() + '''
train full {
    from      quick top 1
    data      blobs.train / blobs.test
    epochs    3
    batch     64
    optimizer sgd(lr = 0.1, momentum = 0.9)
}
''')
T.run([f, "--trials", "4", "--quiet"], check_rc=0, timeout=240)
store = os.path.join(d, "tiny2.nasdb")
s1 = T.rows(store, "SELECT arch_id, json_extract(metrics, '$.accuracy') FROM trial WHERE stage = 1 AND state = 1 "
                   "ORDER BY reward DESC, seq LIMIT 1")
s2 = T.rows(store, "SELECT arch_id, json_extract(metrics, '$.accuracy'), json_extract(metrics, '$.val_examples') "
                   "FROM trial WHERE stage = 2")
if T.check(len(s1) == 1 and len(s2) == 1 and s1[0][0] == s2[0][0], f"stage 1 best {s1}, stage 2 {s2}"):
    print(f"stage 1 accuracy {s1[0][1]:.4f}, stage 2 accuracy {s2[0][1]:.4f} on {s2[0][2]} test examples", flush=True)
    T.check(s1[0][1] > 0.8, f"stage 1 accuracy {s1[0][1]}: 4 classes of blobs should be easy")
    T.check(abs(s2[0][1] - s1[0][1]) <= 0.1, f"stage 2 accuracy {s2[0][1]} is not within 0.1 of stage 1's {s1[0][1]}")
    T.check(s2[0][2] == 400, f"stage 2 validated on {s2[0][2]} examples, the test part has 400")
T.finish("test_synthetic_parts")
