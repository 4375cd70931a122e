"""Differential harness: run one program against torch and numtorch and compare what it observes.

A program is `def prog(torch, see): ...`; it calls `see(x)` on anything worth comparing (tensors
compare by repr and values, other objects by equality). An exception ends the program and is
observed as "Type: message"; warnings are observed as "Category: message" (torch's C++ suffix
" (Triggered internally at ...)" removed)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")


def _strip(msg: str) -> str:
    return msg.split(" (Triggered internally at")[0]


def observe(prog, lib) -> list:
    seen: list = []

    def see(*xs):
        for x in xs:
            seen.append(_freeze(x, lib))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            prog(lib, see)
        except Exception as e:  # the observed behaviour, compared below
            seen.append(("raised", type(e).__name__, _strip(str(e))))
        for w in caught:
            seen.append(("warned", w.category.__name__, _strip(str(w.message))))
    return seen


def _freeze(x, lib):
    if isinstance(x, lib.Tensor):
        values = x.detach().cpu().numpy() if lib is torch else x.detach().numpy()
        return ("tensor", repr(x), np.array(values, copy=True))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__,) + tuple(_freeze(y, lib) for y in x)
    if isinstance(x, (lib.dtype, lib.Size)):
        return repr(x)
    return x


def _equal(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple) and a and a[0] == "tensor" == b[0]:
        # float32 results of differently ordered (but equally valid) formulas differ in the last bits
        rtol = 1e-5 if a[2].dtype.itemsize <= 4 else 1e-9
        return a[1] == b[1] and a[2].shape == b[2].shape and a[2].dtype == b[2].dtype and \
            np.allclose(a[2], b[2], rtol=rtol, atol=rtol / 10, equal_nan=True)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b


def _show(x):
    return x[1] if isinstance(x, tuple) and x and x[0] == "tensor" else x


def assert_same(prog) -> list:
    """Run prog under both libraries; fail with the first differing observation."""
    expected = observe(prog, torch)
    got = observe(prog, numtorch)
    for i, (e, g) in enumerate(zip(expected, got)):
        assert _equal(e, g), f"observation {i} differs:\n torch:    {_show(e)!r}\n numtorch: {_show(g)!r}"
    assert len(expected) == len(got), f"torch saw {expected[len(got):]!r}, numtorch saw {got[len(expected):]!r}"
    assert expected, "the program observed nothing"
    return got


@pytest.fixture
def same():
    return assert_same
