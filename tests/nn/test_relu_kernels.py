"""relu and its backward (threshold_backward) bit for bit against torch: signed zeros, NaN, inf, on
contiguous inputs (numpy's vectorised path against a zero array), strided ones and odd lengths."""
import numpy as np
import pytest
import torch

import numtorch

SPECIALS = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-40, -1e-40, 2.5, -2.5]


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(f"u{a.itemsize}")


def _inputs(dtype, n, seed):
    rng = np.random.default_rng(seed)
    x = np.where(rng.random(n) < 0.5, rng.choice(SPECIALS, n), rng.standard_normal(n)).astype(dtype)
    g = np.where(rng.random(n) < 0.5, rng.choice(SPECIALS, n), rng.standard_normal(n)).astype(dtype)
    return x, g


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 7, 16, 33, 1000])
@pytest.mark.parametrize("layout", ["contiguous", "strided", "transposed"])
def test_relu_and_backward_bits(dtype, n, layout):
    x, g = _inputs(dtype, 2 * n, n)
    shape = {"contiguous": (2 * n,), "strided": (2 * n,), "transposed": (2, n)}[layout]
    results = []
    for lib in (torch, numtorch):
        base = lib.tensor(x.reshape(shape))
        leaf = (base[::2] if layout == "strided" else base.t() if layout == "transposed" else base).detach()
        leaf.requires_grad_(True)
        y = lib.relu(leaf)
        y.backward(lib.tensor(g[:y.numel()].reshape(tuple(y.shape))))
        results.append((y.detach().numpy(), leaf.grad.numpy(), y.stride()))
    (ty, tg, ts), (ny, ng, ns) = results
    assert ts == ns
    np.testing.assert_array_equal(_bits(ny), _bits(ty))  # -0.0 stays -0.0, NaN payloads kept
    np.testing.assert_array_equal(_bits(ng), _bits(tg))  # a dropped gradient is +0.0, even -x, inf, nan


def test_relu_backward_special_cases():
    # a NaN result keeps its gradient; dropped -x, -inf, nan give +0.0; a kept -0.0 stays -0.0
    x = np.array([np.nan, 0.0, -0.0, 1.0, -1.0, -5.0], np.float32)
    g = np.array([-3.0, -np.inf, np.nan, -0.0, -2.0, -0.0], np.float32)
    grads = []
    for lib in (torch, numtorch):
        leaf = lib.tensor(x, requires_grad=True)
        lib.relu(leaf).backward(lib.tensor(g))
        grads.append(leaf.grad.numpy())
    np.testing.assert_array_equal(_bits(grads[1]), _bits(grads[0]))
