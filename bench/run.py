"""Run every workload under numtorch and (when installed) torch in the same run; print a table of
medians and ratios numtorch/torch, and save it as JSON.

    python bench/run.py [--only SUBSTRING] [--threads N] [--json bench/results.json]

Both libraries get the same thread count (OMP/MKL/OpenBLAS variables set for the child processes)."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from workloads import WORKLOADS  # noqa: E402


def run(lib: str, name: str, threads: int) -> dict:
    env = dict(os.environ)
    # an installed package has its bytecode cached; measure that, not compilation from source
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    if name == "import":  # a bare interpreter: numpy's own import counts too
        code = (f"import time, json; t = time.perf_counter(); import {lib}; "
                "print(json.dumps({'median': time.perf_counter() - t}))")
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, str(HERE / "workloads.py"), lib, name]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
        return "; ".join(f"{i['internal_api']} {i.get('version')} threads={i['num_threads']}"
                         for i in threadpool_info())
    except ImportError:
        return "threadpoolctl not installed"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", default=str(HERE / "results.json"))
    args = ap.parse_args()
    has_torch = importlib.util.find_spec("torch") is not None
    names = ["import"] + [n for n in WORKLOADS if args.only in n]
    run("numtorch", "import", args.threads)  # writes the bytecode cache once
    rows = []
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, threads={args.threads}")
    print(f"{'workload':28} {'numtorch':>12} {'torch':>12} {'ratio':>7}")
    for name in names:
        reps = 5 if name == "import" else 1
        ours = statistics.median(run("numtorch", name, args.threads)["median"] for _ in range(reps))
        theirs = statistics.median(run("torch", name, args.threads)["median"] for _ in range(reps)) \
            if has_torch else None
        ratio = ours / theirs if theirs else None
        rows.append({"workload": name, "numtorch": ours, "torch": theirs, "ratio": ratio})
        print(f"{name:28} {ours:12.4g} {theirs if theirs is not None else float('nan'):12.4g} "
              f"{ratio if ratio is not None else float('nan'):7.2f}")
    Path(args.json).write_text(json.dumps({"threads": args.threads, "blas": blas_info(), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
