"""Backward kernels at NaN inputs, as ATen computes them: their scalar and vectorized functions
branch on opposite comparisons, which a NaN fails both, so the vectorized loop (blocks of two AVX2
vectors of a contiguous row) and the scalar loop (the row's tail) answer differently.
elu_backward: the scalar loop passes grad * scale (`x <= 0` is false), the vectorized one the
negative branch, NaN (`x > 0` is false) (fuzz seed 2056); ELU, CELU, SELU and the result-based
elu_. hardtanh_backward: the scalar loop passes the gradient, the vectorized one 0 (fuzz seed
2062); hardtanh, relu6. float32/float64/float16."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")


def _grads(lib, x, dtype, fn, weighted):
    t = lib.tensor(x, dtype=getattr(lib, dtype), requires_grad=True)
    if fn == "elu_":
        y = lib.nn.functional.elu(t * 1, inplace=True)
    elif fn == "hardtanh":
        y = lib.nn.functional.hardtanh(t, -0.5, 1.25)
    else:
        y = getattr(lib.nn.functional, fn)(t)
    out = (y * lib.arange(float(y.numel())).reshape(y.shape).to(y.dtype)).sum() if weighted else y.sum()
    out.backward()
    return t.grad.numpy()


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("shape", [(5,), (36,), (4, 3, 3), (2, 40)])
@pytest.mark.parametrize("fn", ["elu", "celu", "selu", "elu_", "hardtanh", "relu6"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nan_inputs_follow_atens_two_loops(dtype, shape, fn, weighted):
    n = int(np.prod(shape))
    x = np.linspace(-2, 2, n).reshape(shape)
    flat = x.reshape(-1)
    flat[[0, 2, n // 2, n - 1]] = np.nan  # in vector blocks and in tails
    ours, theirs = _grads(numtorch, x, dtype, fn, weighted), _grads(torch, x, dtype, fn, weighted)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=2e-3 if dtype == "float16" else 1e-6)
