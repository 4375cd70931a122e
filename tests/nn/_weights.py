"""Helpers shared by the nn differential tests: identical weights and a fixed random loss."""
from __future__ import annotations

import numpy as np


def arr(shape, seed, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def set_weights(torch, module, seed: int = 0) -> None:
    """Give every parameter of `module` the same values in both libraries."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in module.parameters():
            dtype = np.float64 if p.dtype == torch.float64 else np.float32
            p.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(dtype)))


def backward(torch, outs, seed: int = 99) -> None:
    """sum(out * fixed random weights) over the outputs that require grad, then backward."""
    rng = np.random.default_rng(seed)
    loss = 0
    for o in outs:
        if o is not None and o.requires_grad:
            dtype = np.float64 if o.dtype == torch.float64 else np.float32
            loss = loss + (o * torch.tensor(rng.standard_normal(tuple(o.shape)).astype(dtype))).sum()
    loss.backward()
