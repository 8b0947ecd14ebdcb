#!/usr/bin/python3
"""torch_steps_check.py — side by side with PyTorch: our runtime and PyTorch start from the
SAME initial weights (written by nastrain --dump-init), see the same batches (data order),
and their training losses must match step by step for the first steps:
|ours - torch| <= 1e-3 * |torch| + 1e-4 (fp32 on both sides; summation orders differ).
Usage: torch_steps_check.py NASTRAIN [--steps 20]. Exit 77 (skip) without torch or the data."""
import argparse, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("nastrain")
    p.add_argument("--steps", type=int, default=20)
    a = p.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        print("skip: no torch")
        sys.exit(77)
    if not os.path.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
        print("skip: no Fashion-MNIST")
        sys.exit(77)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for model in ("mlp", "cnn"):
            init, log = os.path.join(tmp, model + ".init"), os.path.join(tmp, model + ".steps")
            subprocess.run([a.nastrain, model, "--no-shuffle", "--max-steps", str(a.steps), "--dump-init", init,
                            "--step-log", log], check=True, stdout=subprocess.DEVNULL)
            ours = [float(l.split()[1]) for l in open(log)]
            out = subprocess.run([sys.executable, os.path.join(HERE, "torch_train.py"), "steps", "--model", model,
                                  "--init", init, "--steps", str(a.steps)], check=True, capture_output=True, text=True)
            theirs = [float(l.split()[1]) for l in out.stdout.split("\n") if l.strip()]
            worst = 0.0
            for i, (o, t) in enumerate(zip(ours, theirs)):
                d = abs(o - t)
                worst = max(worst, d / abs(t))
                if d > 1e-3 * abs(t) + 1e-4:
                    bad += 1
                    print(f"{model} step {i}: ours {o:.7f} torch {t:.7f}")
            if len(ours) != a.steps or len(theirs) != a.steps:
                bad += 1
                print(f"{model}: {len(ours)} / {len(theirs)} steps")
            print(f"{model}: {a.steps} steps, first loss ours {ours[0]:.6f} torch {theirs[0]:.6f}, "
                  f"last ours {ours[-1]:.6f} torch {theirs[-1]:.6f}, worst relative difference {worst:.2e}")
    print("torch_steps_check:", "FAILED" if bad else "ok")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
