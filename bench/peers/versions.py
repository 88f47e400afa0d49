#!/usr/bin/python3
"""Versions of the Python peers, for bench/results/latest.json."""
import json
import platform
import sys

out = {"python": platform.python_version(), "python_executable": sys.executable}
try:
    import torch
    out["torch"] = torch.__version__
    torch.set_num_threads(2)
    out["torch_threads"] = torch.get_num_threads()
    a = torch.randn(64, 64)
    a @ a
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line})
    out["peer_blas"] = libs
except Exception as e:  # noqa: BLE001
    out["torch"] = f"unavailable: {e}"
try:
    import optuna
    out["optuna"] = optuna.__version__
except Exception as e:  # noqa: BLE001
    out["optuna"] = f"unavailable: {e}"
try:
    import sklearn
    out["sklearn"] = sklearn.__version__
except Exception as e:  # noqa: BLE001
    out["sklearn"] = f"unavailable: {e}"
print(json.dumps(out))
