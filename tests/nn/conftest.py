"""Fixtures for the nn differential tests.

`close(prog)` runs `prog(lib, see)` under torch and numtorch like the root `same` fixture, but
compares tensors by dtype, shape, requires_grad, grad_fn name and values within float tolerance
(rtol 1e-5 for float32, 1e-10 for float64) instead of by repr, whose 4 printed decimals can
round apart. `graph(t)` describes a whole backward graph by node names."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch
import numtorch.nn  # noqa: F401  (binds numtorch.nn, numtorch.optim for `torch.nn` programs)
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")


def graph_of(t, depth: int = 10) -> str:
    """The node names reachable from t.grad_fn, as a nested tuple printed to a string."""
    def rec(fn, d):
        if fn is None:
            return None
        name = "AccumulateGrad" if "AccumulateGrad" in fn.name() else type(fn).__name__
        if d >= depth:
            return name
        return (name,) + tuple(rec(f, d + 1) for f, _ in fn.next_functions)
    return str(rec(t.grad_fn, 0))


def _freeze(x, lib):
    if isinstance(x, lib.Tensor):
        fn = x.grad_fn
        return ("tensor", str(x.dtype), tuple(x.shape), x.requires_grad,
                None if fn is None else type(fn).__name__, np.array(x.detach().numpy(), copy=True))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__,) + tuple(_freeze(y, lib) for y in x)
    if isinstance(x, (lib.dtype, lib.Size)):
        return repr(x)
    return x


def observe(prog, lib) -> list:
    seen: list = []

    def see(*xs):
        seen.extend(_freeze(x, lib) for x in xs)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            prog(lib, see)
        except Exception as e:  # the observed behaviour, compared below
            seen.append(("raised", type(e).__name__, str(e).split(" (Triggered internally at")[0]))
        seen.extend(("warned", w.category.__name__, str(w.message)) for w in caught)
    return seen


def _equal(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple) and a and a[0] == "tensor" == b[0]:
        x, y = a[5], b[5]
        if a[:5] != b[:5] or x.shape != y.shape or x.dtype != y.dtype:
            return False
        if x.dtype.kind not in "fc":
            return bool(np.array_equal(x, y))
        rtol = 1e-5 if x.dtype.itemsize <= 4 else 1e-10
        # the tolerance scales with the largest finite magnitude (an inf would make it accept anything)
        finite = np.abs(x[np.isfinite(x)])
        scale = max(float(finite.max()) if finite.size else 0.0, 1e-30)
        return bool(np.allclose(x, y, rtol=rtol, atol=rtol * 0.1 * scale, equal_nan=True))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b


def assert_close(prog) -> list:
    expected = observe(prog, torch)
    got = observe(prog, numtorch)
    for i, (e, g) in enumerate(zip(expected, got)):
        assert _equal(e, g), f"observation {i} differs:\n torch:    {e!r}\n numtorch: {g!r}"
    assert len(expected) == len(got), \
        f"torch saw {expected[len(got):]!r}, numtorch saw {got[len(expected):]!r}"
    assert expected, "the program observed nothing"
    return got


@pytest.fixture
def close():
    return assert_close


@pytest.fixture
def graph():
    return graph_of
