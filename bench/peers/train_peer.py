#!/usr/bin/python3
"""PyTorch peer of RcML's CommittorTraining for bench/run (training throughput).

Reads the same binary data file the C# bench wrote (float32: X[rows, cols] row-major, then n_A[rows], n_B[rows]),
standardizes once, and trains the same MLP (Linear/tanh, U(+-1/sqrt(fan_in)) init of weights and biases, Adam,
binomial cross-entropy per shot) the way RcML does: one index_select shuffle per epoch, narrow() views per batch,
one .item() per epoch. Optionally evaluates a hold-out each epoch and snapshots the best weights, as RcML's early
stopping does. Prints one JSON line with per-epoch seconds.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)


def gemm_flops(n=1024, reps=10):
    g = torch.Generator().manual_seed(7)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    for _ in range(2):
        a @ b
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 * reps / best


def loss_per_shot(q, a, b):
    return -(b * F.logsigmoid(q) + a * F.logsigmoid(-q)).sum() / (a + b).sum()


class Net(torch.nn.Module):
    def __init__(self, inputs, widths, seed):
        super().__init__()
        dims = [inputs] + list(widths) + [1]
        self.linears = torch.nn.ModuleList(torch.nn.Linear(i, o) for i, o in zip(dims[:-1], dims[1:]))
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for lin in self.linears:
                bound = 1.0 / math.sqrt(lin.weight.shape[1])
                lin.weight.uniform_(-bound, bound, generator=g)
                lin.bias.uniform_(-bound, bound, generator=g)

    def forward(self, x):
        for lin in self.linears[:-1]:
            x = torch.tanh(lin(x))
        return self.linears[-1](x).squeeze(-1)


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg.get("threads", 2))
    rows, cols = cfg["rows"], cfg["cols"]
    raw = np.fromfile(cfg["data"], dtype=np.float32)
    x = raw[: rows * cols].reshape(rows, cols)
    a = raw[rows * cols: rows * cols + rows]
    b = raw[rows * cols + rows: rows * cols + 2 * rows]
    n_val = int(round(rows * cfg.get("validation_fraction", 0.0)))
    n_tr = rows - n_val
    mean = x[:n_tr].mean(axis=0)
    sd = x[:n_tr].std(axis=0, ddof=1)
    sd[sd < 1e-12] = 1.0
    x = ((x - mean) / sd).astype(np.float32)
    X = torch.from_numpy(np.ascontiguousarray(x[:n_tr]))
    A = torch.from_numpy(a[:n_tr].copy())
    B = torch.from_numpy(b[:n_tr].copy())
    Xv = torch.from_numpy(np.ascontiguousarray(x[n_tr:])) if n_val else None
    Av = torch.from_numpy(a[n_tr:].copy()) if n_val else None
    Bv = torch.from_numpy(b[n_tr:].copy()) if n_val else None

    seed = cfg["seed"]
    torch.manual_seed(seed)
    net = Net(cols, cfg["widths"], seed)
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    batch = cfg["batch"]
    if batch <= 0 or batch >= n_tr:
        batch = n_tr
    total_shots = float((A + B).sum())
    g = torch.Generator().manual_seed(seed)
    epoch_seconds = []
    epoch_cpu_seconds = []
    best, best_state = float("inf"), None
    t0 = time.perf_counter()
    last = t0
    last_cpu = time.process_time()
    loss_value = float("nan")
    for epoch in range(cfg["epochs"]):
        net.train()
        if batch == n_tr:
            opt.zero_grad()
            loss = loss_per_shot(net(X), A, B)
            loss.backward()
            opt.step()
            loss_value = loss.item()
        else:
            idx = torch.randperm(n_tr, generator=g)
            xs, as_, bs = X.index_select(0, idx), A.index_select(0, idx), B.index_select(0, idx)
            total = torch.zeros(1)
            for start in range(0, n_tr, batch):
                length = min(batch, n_tr - start)
                if length < 2 and start > 0:
                    break
                opt.zero_grad()
                ab, bb = as_.narrow(0, start, length), bs.narrow(0, start, length)
                loss = loss_per_shot(net(xs.narrow(0, start, length)), ab, bb)
                loss.backward()
                opt.step()
                total.add_(loss.detach() * (ab.sum() + bb.sum()))
            loss_value = total.item() / total_shots
        if Xv is not None:
            net.eval()
            with torch.no_grad():
                v = loss_per_shot(net(Xv), Av, Bv).item()
            if v < best - 1e-6:
                best = v
                best_state = {k: t.detach().clone() for k, t in net.state_dict().items()}
        now = time.perf_counter()
        now_cpu = time.process_time()
        epoch_seconds.append(now - last)
        epoch_cpu_seconds.append(now_cpu - last_cpu)
        last, last_cpu = now, now_cpu
    total_seconds = time.perf_counter() - t0
    print(json.dumps({
        "epoch_seconds": epoch_seconds,
        "epoch_cpu_seconds": epoch_cpu_seconds,
        "total_seconds": total_seconds,
        "final_loss": loss_value,
        "gemm_flops": gemm_flops() if cfg.get("gemm", True) else None,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    }))


if __name__ == "__main__":
    main()
