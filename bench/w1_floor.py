"""How low can W1 (3,) go in Python? Two floors beside numtorch and torch, same work, same timing.

    python bench/w1_floor.py [--threads N]

- numpy: W1's arithmetic alone (forward: mul, add, float32 sigmoid through float64 exp; backward:
  the two products per round), no objects besides the arrays.
- tape: the smallest autograd that still does what every autograd must: a tensor object per
  result, a node per op with its edges and saved tensors, a version check when a saved tensor is
  read, dependency counting and a ready queue ordered by sequence number, gradient accumulation
  into the leaf. Nothing else: no hooks, no anomaly mode, no double backward (its formulas are
  plain numpy), no dtype promotion, no error messages.

W1 counts 300 ops (fwd+bwd) per step; every number is microseconds per op, median of 40 steps."""
from __future__ import annotations

import argparse
import heapq
import importlib.util
import os
import statistics
import subprocess
import sys
import time

import numpy as np

ROUNDS = 100


def per_op(step) -> float:
    for _ in range(5):
        step()
    samples = []
    for _ in range(40):
        t0 = time.perf_counter()
        step()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) / (3 * ROUNDS) * 1e6


def _sigmoid32(a):
    return (1.0 / (1.0 + np.exp(-a.astype(np.float64)))).astype(np.float32)


def numpy_step(x):
    def step():
        y, outs = x, []
        for _ in range(ROUNDS):
            y = _sigmoid32(y * np.float32(1.0001) + np.float32(0.001))
            outs.append(y)
        g = np.ones_like(y)
        for y in reversed(outs):
            g = g * (1 - y) * y * np.float32(1.0001)
    return step


# ---- the minimal tape ---------------------------------------------------------------------------
class _Version:
    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class _Tensor:
    __slots__ = ("data", "requires_grad", "grad_fn", "version", "grad", "leaf_node")

    def __init__(self, data, requires_grad=False):
        self.data, self.requires_grad, self.grad_fn = data, requires_grad, None
        self.version, self.grad, self.leaf_node = _Version(), None, None

    def __mul__(self, k):
        return _record(_Tensor(self.data * np.float32(k)), _Scale, self, k)

    def __add__(self, k):
        return _record(_Tensor(self.data + np.float32(k)), _Pass, self, None)

    def sigmoid(self):
        out = _Tensor(_sigmoid32(self.data))
        return _record(out, _Sigmoid, self, _Saved(out))

    def sum(self):
        return _record(_Tensor(self.data.sum()), _Expand, self, self.data.shape)


class _Saved:
    __slots__ = ("tensor", "version")

    def __init__(self, t):
        self.tensor, self.version = t, t.version.value

    def unpack(self):
        if self.tensor.version.value != self.version:
            raise RuntimeError("modified by an inplace operation")
        return self.tensor.data


_sequence = [0]


class _Node:
    __slots__ = ("edge", "sequence", "saved")

    def __init__(self, edge, saved):
        _sequence[0] += 1
        self.edge, self.sequence, self.saved = edge, _sequence[0], saved


class _Scale(_Node):
    __slots__ = ()

    def apply(self, g):
        return g * np.float32(self.saved)


class _Pass(_Node):
    __slots__ = ()

    def apply(self, g):
        return g


class _Sigmoid(_Node):
    __slots__ = ()

    def apply(self, g):
        r = self.saved.unpack()
        return g * (1 - r) * r


class _Expand(_Node):
    __slots__ = ()

    def apply(self, g):
        return np.broadcast_to(g, self.saved).copy()


class _Accumulate:
    __slots__ = ("tensor", "edge", "sequence")

    def __init__(self, t):
        self.tensor, self.edge, self.sequence = t, None, sys.maxsize

    def apply(self, g):
        t = self.tensor
        t.grad = g.copy() if t.grad is None else t.grad + g


def _edge(t):
    if t.grad_fn is not None:
        return t.grad_fn
    if t.requires_grad:
        if t.leaf_node is None:
            t.leaf_node = _Accumulate(t)
        return t.leaf_node
    return None


def _record(out, node_cls, inp, saved):
    if inp.requires_grad:
        out.grad_fn, out.requires_grad = node_cls(_edge(inp), saved), True
    return out


def _backward(root: _Tensor) -> None:
    start = root.grad_fn
    deps = {start: 0}
    stack = [start]
    while stack:
        nxt = stack.pop().edge
        if nxt is not None:
            if nxt not in deps:
                deps[nxt] = 0
                stack.append(nxt)
            deps[nxt] += 1
    grads = {start: np.ones_like(root.data)}
    ready, counter = [(-start.sequence, 0, start)], 1
    while ready:
        node = heapq.heappop(ready)[2]
        g = node.apply(grads.pop(node))
        nxt = node.edge
        if nxt is None:
            continue
        grads[nxt] = g if nxt not in grads else grads[nxt] + g
        deps[nxt] -= 1
        if deps[nxt] == 0:
            heapq.heappush(ready, (-nxt.sequence, counter, nxt))
            counter += 1


def tape_step(x):
    leaf = _Tensor(x, requires_grad=True)

    def step():
        y = leaf
        for _ in range(ROUNDS):
            y = (y * 1.0001 + 0.001).sigmoid()
        _backward(y.sum())
    return step


def library_step(name: str, x):
    lib = __import__(name)
    leaf = lib.tensor(x, requires_grad=True)

    def step():
        y = leaf
        for _ in range(ROUNDS):
            y = (y * 1.0001 + 0.001).sigmoid()
        y.sum().backward()
    return step


def measure(kind: str) -> float:
    x = np.ones(3, dtype=np.float32)
    if kind == "numpy":
        return per_op(numpy_step(x))
    if kind == "tape":
        return per_op(tape_step(x))
    return per_op(library_step(kind, x))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one kind, in a child process
    args = parser.parse_args()
    if args.measure:
        print(measure(args.measure))
        return
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads),
               MKL_NUM_THREADS=str(args.threads))
    kinds = ["numpy", "tape", "numtorch"] + (["torch"] if importlib.util.find_spec("torch") else [])
    print("W1 (3,), microseconds per op (fwd+bwd), each in its own process")
    for kind in kinds:
        out = subprocess.run([sys.executable, __file__, "--measure", kind], env=env, capture_output=True,
                             text=True, check=True)
        print(f"{kind:10s} {float(out.stdout.strip()):7.2f}")


if __name__ == "__main__":
    main()
