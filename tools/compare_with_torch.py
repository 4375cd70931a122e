"""Run PyTorch scripts unchanged under numtorch (`python -m numtorch`) and under PyTorch, and
compare what they print.

    python tools/compare_with_torch.py [--seed N] [--rtol R] [--atol A] SCRIPT.py [SCRIPT.py ...]

Each script runs in its own folder (so relative data paths work) with the same seed given to both
libraries (`torch.manual_seed(N)` and `random.seed(N)` before the first line). Output lines are
compared token by token: words must be equal, numbers equal within --rtol (default 1e-5) or --atol (default 1e-8: values that are
rounding noise around zero); numtorch
and PyTorch may differ in the last float32 bits of a transcendental function, and a long training
run carries such a difference forward). Prints one verdict per script and exits 1 if any differs."""
from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import time
from pathlib import Path

_TORCH_LAUNCHER = """
import random, runpy, sys
import torch
seed = int(sys.argv[1])
if seed >= 0:
    torch.manual_seed(seed)
    random.seed(seed)
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def run(script: Path, seed: int, numtorch: bool) -> tuple[str, float]:
    if numtorch:
        cmd = [sys.executable, "-m", "numtorch"] + (["--seed", str(seed)] if seed >= 0 else [])
        cmd.append(script.name)
    else:
        cmd = [sys.executable, "-c", _TORCH_LAUNCHER, str(seed), script.name]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=script.parent, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return done.stdout + done.stderr + f"[exit {done.returncode}]\n", elapsed


def _close(a: str, b: str, rtol: float, atol: float) -> bool:
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y or abs(x - y) <= atol + rtol * max(abs(x), abs(y))


def first_difference(ours: str, theirs: str, rtol: float, atol: float) -> str | None:
    """The first line where the outputs differ beyond number tolerance, or None."""
    a_lines, b_lines = ours.splitlines(), theirs.splitlines()
    for i, (a, b) in enumerate(zip(a_lines, b_lines)):
        if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
            return f"line {i + 1}:\n  numtorch: {a}\n  torch:    {b}"
        if not all(_close(x, y, rtol, atol) for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b))):
            return f"line {i + 1} (numbers):\n  numtorch: {a}\n  torch:    {b}"
    if len(a_lines) != len(b_lines):
        return f"numtorch printed {len(a_lines)} lines, torch {len(b_lines)}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=0, help="seed both libraries (-1: do not seed)")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=1e-8)
    args = parser.parse_args(argv)
    failures = 0
    for script in args.scripts:
        script = script.resolve()
        ours, t_ours = run(script, args.seed, numtorch=True)
        theirs, t_theirs = run(script, args.seed, numtorch=False)
        diff = first_difference(ours, theirs, args.rtol, args.atol)
        lines = len(theirs.splitlines())
        verdict = "same output" if diff is None else "DIFFERENT"
        print(f"{script.name}: {verdict} ({lines} lines; numtorch {t_ours:.1f} s, torch {t_theirs:.1f} s)")
        if diff is not None:
            failures += 1
            print("  " + diff.replace("\n", "\n  "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
