#!/usr/bin/python3
"""torch_train.py — the PyTorch side of the runtime benchmarks (tests/bench/train_bench.py):
the same MLP / CNN as runtime/train/models.c, the same Fashion-MNIST data and settings
(batch 128, SGD lr 0.01 momentum 0.9, last partial batch dropped), trained on the CPU.
Modes:
  train   --model M --epochs N [--normalize] [--max-steps S] [--latency R]  -> one JSON line
  steps   --model M --init FILE --steps S     batches in data order from the given initial
          parameters (float32, in model.parameters() order); prints "step loss" lines
Thread set-up comes from the caller: --threads T sets torch.set_num_threads, the
environment's OPENBLAS_NUM_THREADS sizes OpenBLAS (see docs/peers.md)."""
import argparse, gzip, json, math, os, resource, statistics, sys, time

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"


def load(part):
    with gzip.open(f"{DATA}/{part}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{DATA}/{part}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


def model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def accuracy(m, x, y):
    m.eval()
    with torch.no_grad():
        correct = sum((m(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(x), 1000))
    m.train()
    return correct / len(x)


def train(a):
    x, y = load("train")
    xt, yt = load("t10k")
    if a.normalize:
        mean, std = x.mean().item(), x.std().item()
        x, xt = (x - mean) / std, (xt - mean) / std
    torch.manual_seed(a.seed)
    m = model(a.model)
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(a.seed)
    B, steps, epochs = 128, 0, []
    # --cosine: per-step cosine decay to 0 over the run, as nastrain --schedule cosine
    total = (len(x) // B) * a.epochs
    if a.max_steps:
        total = min(total, a.max_steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 0.5 * (1 + math.cos(math.pi * min(k / total, 1.0)))) if a.cosine else None
    for ep in range(a.epochs):
        perm = torch.randperm(len(x), generator=g)
        t0 = time.perf_counter()
        n = 0
        for i in range(len(x) // B):
            if a.max_steps and steps >= a.max_steps:
                break
            idx = perm[i * B:(i + 1) * B]
            opt.zero_grad()
            loss = lossf(m(x[idx]), y[idx])
            loss.backward()
            opt.step()
            if sched:
                sched.step()
            steps += 1
            n += B
        secs = time.perf_counter() - t0
        epochs.append({"seconds": secs, "images_per_s": n / secs, "test_acc": accuracy(m, xt, yt) if not a.max_steps else None})
    out = {"model": a.model, "threads": torch.get_num_threads(),
           "openblas": os.environ.get("OPENBLAS_NUM_THREADS", "default"), "epochs": epochs,
           "images_per_s": sum(e["images_per_s"] * e["seconds"] for e in epochs) / sum(e["seconds"] for e in epochs)}
    if a.latency:
        m.eval()
        one = xt[:1]
        with torch.no_grad():
            for _ in range(50):
                m(one)
            t = []
            for i in range(a.latency):
                s = time.perf_counter()
                m(xt[i % 10000:i % 10000 + 1])
                t.append(time.perf_counter() - s)
        out["latency_ms"] = statistics.median(t) * 1e3
    out["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps(out))


def steps(a):
    x, y = load("train")
    m = model(a.model)
    flat = np.fromfile(a.init, np.float32)
    off = 0
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.from_numpy(flat[off:off + p.numel()].reshape(p.shape)))
            off += p.numel()
    if off != len(flat):
        sys.exit(f"torch_train: {a.init} has {len(flat)} floats, the model {off}")
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    for i in range(a.steps):
        opt.zero_grad()
        loss = lossf(m(x[i * 128:(i + 1) * 128]), y[i * 128:(i + 1) * 128])
        loss.backward()
        opt.step()
        print(i, f"{loss.item():.9g}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "steps"])
    p.add_argument("--model", choices=["mlp", "cnn"], required=True)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--normalize", action="store_true")
    p.add_argument("--cosine", action="store_true")
    p.add_argument("--max-steps", type=int, default=0)
    p.add_argument("--latency", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--init")
    p.add_argument("--steps", type=int, default=20)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    train(a) if a.mode == "train" else steps(a)


if __name__ == "__main__":
    main()
