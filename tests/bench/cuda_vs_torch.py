#!/usr/bin/python3
"""cuda_vs_torch.py — GPU images/s of our runtime (cuda_bench: cuDNN, cuBLAS, LLVM-built PTX)
against PyTorch CUDA on the same models, batch, optimizer and synthetic data, measured in the
same run (docs/peers.md: only ratios measured together mean anything).
Models: MLP 784-256-128-10; CNN conv3x3(1->32)+relu+pool, conv3x3(32->64)+relu+pool, fc 128, fc 10.
Figures: training (forward, loss, backward, SGD momentum 0.9) and inference at batch 128, and
batch-1 latency (median), all timed with CUDA events. fp32 on both sides (TF32 off in torch).
Usage: cuda_vs_torch.py CUDA_BENCH [--steps 200]
Exit 77 (ctest skip) when there is no GPU, our CUDA backend is not built, or torch lacks CUDA."""
import argparse
import subprocess
import sys

B = 128


def ours(bench, steps):
    p = subprocess.run([bench, "cuda", str(steps)], capture_output=True, text=True, timeout=900)
    if p.returncode == 77:
        print(p.stdout.strip())
        sys.exit(77)
    if p.returncode != 0:
        print(p.stdout + p.stderr)
        sys.exit(1)
    res = {}
    for line in p.stdout.splitlines():
        model, what, value, _unit = line.split()
        res[(model, what)] = float(value)
    return res


def torch_side(steps):
    try:
        import torch
    except ImportError:
        print("skip: no torch")
        sys.exit(77)
    if not torch.cuda.is_available():
        print("skip: torch has no CUDA device (torch %s)" % torch.__version__)
        sys.exit(77)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    nn = torch.nn
    dev = torch.device("cuda")
    models = {
        "mlp": lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
                                     nn.ReLU(), nn.Linear(128, 10)),
        "cnn": lambda: nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                     nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                     nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10)),
    }
    res = {}
    for name, make in models.items():
        m = make().to(dev)
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
        x = torch.rand(B, 1, 28, 28, device=dev)
        y = torch.randint(0, 10, (B,), device=dev)
        x1 = x[:1].contiguous()
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss_fn(m(x), y).backward()
            opt.step()

        def timed(fn, n):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            torch.cuda.synchronize()
            s.record()
            for _ in range(n):
                fn()
            e.record()
            e.synchronize()
            return s.elapsed_time(e) / 1e3

        for _ in range(3):
            step()
        res[(name, "train")] = steps * B / timed(step, steps)
        with torch.no_grad():
            m(x)
            res[(name, "infer")] = steps * B / timed(lambda: m(x), steps)
            lat = sorted(timed(lambda: m(x1), 1) * 1e3 for _ in range(steps))
            res[(name, "latency")] = lat[len(lat) // 2]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench")
    ap.add_argument("--steps", type=int, default=200)
    a = ap.parse_args()
    o = ours(a.bench, a.steps)
    t = torch_side(a.steps)
    print("%-4s %-8s %14s %14s %8s" % ("", "", "nas (cuda)", "torch (cuda)", "ratio"))
    for key in sorted(o):
        unit = "ms" if key[1] == "latency" else "img/s"
        ratio = t[key] / o[key] if unit == "ms" else o[key] / t[key]   # > 1: we are faster
        print("%-4s %-8s %11.1f %-3s %11.1f %-3s %7.2fx" % (key[0], key[1], o[key], unit, t[key], unit, ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
