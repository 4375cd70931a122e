"""Time numtorch's samplers against torch's in the same run and print numtorch / torch.

The headline is 10**7 float32 normals (issue 5 asks for a ratio of at most 2). Each case runs
both libraries alternately, after a warm-up, and compares medians, so load on the machine hits
both sides alike. Usage: python bench/bench_random.py [--repeat N] [--quick]"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

import numtorch


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(name: str, make, repeat: int) -> float:
    """make(lib) -> zero-argument callable; returns numtorch time / torch time."""
    ours, theirs = make(numtorch), make(torch)
    ours(), theirs()  # warm-up (and the engines' first allocations)
    numtorch.manual_seed(0)
    torch.manual_seed(0)
    t_ours, t_theirs = [], []
    for _ in range(repeat):
        t_theirs.append(_median_seconds(theirs, 1))
        t_ours.append(_median_seconds(ours, 1))
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    print(f"{name:<34} numtorch {a * 1e3:9.2f} ms   torch {b * 1e3:9.2f} ms   ratio {a / b:6.2f}")
    return a / b


CASES = {
    "randn(10**7) float32": lambda lib: lambda: lib.randn(10 ** 7),
    "randn(10**6) float64": lambda lib: lambda: lib.randn(10 ** 6, dtype=lib.float64),
    "normal(0.5, 0.02, (10**6,)) float32": lambda lib: lambda: lib.normal(0.5, 0.02, (10 ** 6,)),
    "rand(10**7) float32": lambda lib: lambda: lib.rand(10 ** 7),
    "randint(0, 1000, (10**6,))": lambda lib: lambda: lib.randint(0, 1000, (10 ** 6,)),
    "randperm(10**5)": lambda lib: lambda: lib.randperm(10 ** 5),
    "bernoulli_(0.5) on 10**6": lambda lib: (lambda t: lambda: t.bernoulli_(0.5))(lib.empty(10 ** 6)),
    "multinomial(1000 cats, 100)": lambda lib: (lambda p: lambda: lib.multinomial(p, 100))(
        lib.ones(1000)),
    "randn(10) x 1000 calls": lambda lib: lambda: [lib.randn(10) for _ in range(1000)],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="only the 10**7 float32 normals")
    args = parser.parse_args()
    names = ["randn(10**7) float32"] if args.quick else list(CASES)
    ratios = {name: compare(name, CASES[name], args.repeat) for name in names}
    headline = ratios["randn(10**7) float32"]
    print(f"\n10**7 float32 normals: numtorch/torch = {headline:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
