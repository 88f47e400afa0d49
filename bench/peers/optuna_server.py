#!/usr/bin/python3
"""Optuna ask/tell server for bench/run (tuning efficiency).

The C# bench evaluates every objective itself (Branin, Hartmann-6, the mixed function and the committor training),
so all tuners optimize literally the same function; this process only proposes. Protocol, one JSON line each way:
  <- {"ready": ...}            (after start-up)
  -> ask                       <- {"number": n, "params": {...}}
  -> {"number": n, "value": v} (value null = failed trial)
  -> quit
The search spaces mirror bench/RcML.Bench/Tuning.cs (TuningTasks).
Usage: optuna_server.py TASK SEED [tpe|random]
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def suggest(task, trial):
    if task == "branin":
        trial.suggest_float("x1", -5, 10)
        trial.suggest_float("x2", 0, 15)
    elif task == "hartmann6":
        for i in range(1, 7):
            trial.suggest_float(f"x{i}", 0, 1)
    elif task == "mixed":
        kind = trial.suggest_categorical("kind", ["a", "b", "c"])
        trial.suggest_float("x", -5, 5)
        trial.suggest_int("m", 0, 10)
        if kind == "a":
            trial.suggest_float("u", 1e-3, 10, log=True)
        elif kind == "b":
            trial.suggest_int("n", 1, 20)
        else:
            trial.suggest_categorical("flag", [False, True])
    elif task == "committor" or task.startswith("committor_"):  # committor_fixed_seed, committor_400: the same space
        layers = trial.suggest_int("layers", 1, 2)
        trial.suggest_int("nodes_1", 4, 64, log=True)
        if layers >= 2:
            trial.suggest_int("nodes_2", 4, 64, log=True)
        trial.suggest_categorical("activation", ["tanh", "relu", "silu"])
        trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
        trial.suggest_float("weight_decay", 1e-7, 1e-1, log=True)
    else:
        raise SystemExit(f"unknown task {task}")
    return trial.params


def main():
    task, seed = sys.argv[1], int(sys.argv[2])
    kind = sys.argv[3] if len(sys.argv) > 3 else "tpe"
    sampler = optuna.samplers.TPESampler(seed=seed) if kind == "tpe" else optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    trials = {}
    print(json.dumps({"ready": True, "optuna": optuna.__version__}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        if line == "quit":
            break
        if line == "ask":
            trial = study.ask()
            params = suggest(task, trial)
            trials[trial.number] = trial
            print(json.dumps({"number": trial.number, "params": params}), flush=True)
            continue
        msg = json.loads(line)
        trial = trials.pop(msg["number"])
        if msg.get("value") is None:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, float(msg["value"]))


if __name__ == "__main__":
    main()
