#!/usr/bin/python3
"""Python peer of `rcml tune --time T` for bench/run --only delivered: the stack a user would otherwise run.

Optuna TPE (seeded) over RcML's default committor search space (CommittorSearchSpace), PyTorch MLPs trained on 80% of
the training file with early stopping on the other 20% (max 1000 epochs, patience 50, best weights restored, the
defaults of `rcml tune`), Optuna's median pruner with RcML's settings (5 start-up trials, 50 warm-up epochs, every 10).
The whole process, imports included, keeps to the wall-clock budget: no trial starts after it, and a trial still
running at the deadline is abandoned once some trial has completed. The best trial's network (lowest validation
cross-entropy) predicts p_B on the test file. Inputs are standardized on the training part; periodic columns (degrees)
enter as sin/cos. Prints one JSON line: trials, best value and parameters, test predictions, seconds.

Usage: delivered_peer.py '{"train": ..., "test": ..., "features": [...], "periodic": [...], "seconds": T, "seed": s}'
"""
import time

START = time.perf_counter()

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import optuna  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
torch.set_num_threads(2)
ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "elu": torch.nn.ELU, "gelu": torch.nn.GELU,
               "silu": torch.nn.SiLU, "sigmoid": torch.nn.Sigmoid}


def read_csv(path, features, periodic):
    with open(path) as f:
        header = f.readline().strip().split(",")
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    col = {name: i for i, name in enumerate(header)}
    parts = []
    for name in features:
        v = raw[:, col[name]]
        if name in periodic:
            r = np.radians(v)
            parts += [np.sin(r), np.cos(r)]
        else:
            parts.append(v)
    return np.stack(parts, axis=1), raw[:, col["n_A"]], raw[:, col["n_B"]]


def loss_per_shot(q, a, b):
    return -(b * F.logsigmoid(q) + a * F.logsigmoid(-q)).sum() / (a + b).sum()


def suggest(trial):
    layers = trial.suggest_int("layers", 1, 6)
    widths = [trial.suggest_int(f"nodes_{k}", 8, 512, log=True) for k in range(1, layers + 1)]
    p = {
        "widths": widths,
        "activation": trial.suggest_categorical("activation", list(ACTIVATIONS)),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "lr": trial.suggest_float("learning_rate", 1e-5, 1e-1, log=True),
        "weight_decay": trial.suggest_float("weight_decay", 1e-8, 1e-1, log=True),
    }
    mode = trial.suggest_categorical("batch_mode", ["full", "mini"])
    p["batch"] = trial.suggest_int("batch_size", 32, 4096, log=True) if mode == "mini" else 0
    p["optimizer"] = trial.suggest_categorical("optimizer", ["Adam", "AdamW"])
    p["normalization"] = trial.suggest_categorical("normalization", ["none", "batch", "layer"])
    return p


def network(inputs, p):
    layers, width = [], inputs
    for w in p["widths"]:
        layers.append(torch.nn.Linear(width, w))
        if p["normalization"] == "batch":
            layers.append(torch.nn.BatchNorm1d(w))
        elif p["normalization"] == "layer":
            layers.append(torch.nn.LayerNorm(w))
        layers.append(ACTIVATIONS[p["activation"]]())
        if p["dropout"] > 0:
            layers.append(torch.nn.Dropout(p["dropout"]))
        width = w
    layers.append(torch.nn.Linear(width, 1))
    return torch.nn.Sequential(*layers)


def main():
    cfg = json.loads(sys.argv[1])
    deadline = START + cfg["seconds"]
    x, a, b = read_csv(cfg["train"], cfg["features"], set(cfg["periodic"]))
    rng = np.random.default_rng(cfg["seed"])
    order = rng.permutation(len(a))
    n_val = int(round(0.2 * len(a)))
    val, tr = order[:n_val], order[n_val:]
    mean, sd = x[tr].mean(axis=0), x[tr].std(axis=0)
    sd[sd < 1e-12] = 1.0

    def tensor(v):
        return torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))

    X, A, B = tensor((x[tr] - mean) / sd), tensor(a[tr]), tensor(b[tr])
    Xv, Av, Bv = tensor((x[val] - mean) / sd), tensor(a[val]), tensor(b[val])
    best = {"value": math.inf, "net": None, "params": None}
    completed = [0]

    def objective(trial):
        p = suggest(trial)
        torch.manual_seed(cfg["seed"] * 100003 + trial.number)
        net = network(X.shape[1], p)
        opt_type = torch.optim.AdamW if p["optimizer"] == "AdamW" else torch.optim.Adam
        opt = opt_type(net.parameters(), lr=p["lr"], weight_decay=p["weight_decay"])
        n = X.shape[0]
        batch = p["batch"] if 0 < p["batch"] < n else n
        trial_best, best_state, since = math.inf, None, 0
        for epoch in range(1, 1001):
            net.train()
            idx = torch.randperm(n) if batch < n else torch.arange(n)
            for start in range(0, n, batch):
                rows = idx[start:start + batch]
                if len(rows) < 2:
                    continue
                opt.zero_grad()
                loss = loss_per_shot(net(X[rows]).squeeze(-1), A[rows], B[rows])
                if not torch.isfinite(loss):
                    raise optuna.TrialPruned()  # diverged: RcML fails such a trial
                loss.backward()
                opt.step()
            net.eval()
            with torch.no_grad():
                v = loss_per_shot(net(Xv).squeeze(-1), Av, Bv).item()
            if v < trial_best - 1e-6:
                trial_best, since = v, 0
                best_state = {k: t.detach().clone() for k, t in net.state_dict().items()}
            else:
                since += 1
            if time.perf_counter() > deadline and completed[0] > 0:
                raise optuna.TrialPruned()  # over the budget: abandoned, as rcml tune interrupts a running trial
            trial.report(v, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
            if since >= 50:
                break
        completed[0] += 1
        if trial_best < best["value"]:
            net.load_state_dict(best_state)
            best.update(value=trial_best, net=net, params=trial.params)
        return trial_best

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=cfg["seed"]),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=50, interval_steps=10))
    while time.perf_counter() < deadline or completed[0] == 0:
        study.optimize(objective, n_trials=1)
    xt, _, _ = read_csv(cfg["test"], cfg["features"], set(cfg["periodic"]))
    best["net"].eval()
    with torch.no_grad():
        p_test = torch.sigmoid(best["net"](tensor((xt - mean) / sd)).squeeze(-1)).tolist()
    states = [t.state for t in study.trials]
    print(json.dumps({
        "trials": len(study.trials),
        "complete": sum(s == optuna.trial.TrialState.COMPLETE for s in states),
        "pruned": sum(s == optuna.trial.TrialState.PRUNED for s in states),
        "best_value": best["value"],
        "best_params": best["params"],
        "test_committor": p_test,
        "seconds": time.perf_counter() - START,
        "torch": torch.__version__,
        "optuna": optuna.__version__,
    }))


if __name__ == "__main__":
    main()
