"""layer_norm's backward without grad mode runs in numpy (nn_ops._layer_norm_input_grad_kernel): it must
round exactly as the composed, differentiable formula that create_graph=True records, and agree with
torch, for float32 and float64, with and without affine parameters, and with NaN/inf inputs."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")


def _grads(lib, x, w, b, g, normalized, create_graph):
    xt = lib.tensor(x, requires_grad=True)
    wt = None if w is None else lib.tensor(w, requires_grad=True)
    bt = None if b is None else lib.tensor(b, requires_grad=True)
    y = lib.nn.functional.layer_norm(xt, normalized, wt, bt)
    grads = lib.autograd.grad(y, [t for t in (xt, wt, bt) if t is not None], lib.tensor(g),
                              create_graph=create_graph)
    return [y.detach().numpy()] + [t.detach().numpy() for t in grads]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,normalized", [((16, 64, 128), (128,)), ((3, 5, 7), (5, 7)), ((4, 1), (1,))])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("special", [None, np.nan, np.inf])
def test_numpy_backward_matches_formula_and_torch(dtype, shape, normalized, affine, special):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    if special is not None:
        x.reshape(-1)[0] = special
    w = rng.standard_normal(normalized).astype(dtype) if affine else None
    b = rng.standard_normal(normalized).astype(dtype) if affine else None
    g = rng.standard_normal(shape).astype(dtype)
    with np.errstate(all="ignore"):
        fast = _grads(numtorch, x, w, b, g, normalized, create_graph=False)
        composed = _grads(numtorch, x, w, b, g, normalized, create_graph=True)
    for a, c in zip(fast, composed):
        np.testing.assert_array_equal(a, c)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for a, t in zip(fast, _grads(torch, x, w, b, g, normalized, create_graph=False)):
        np.testing.assert_allclose(a, t, rtol=tol, atol=tol)
