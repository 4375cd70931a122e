"""Differential harness for the view / in-place suites: run one program under torch and numtorch
and compare everything it records (values, grads, `_version`, `_is_view()`, `_base is x`,
grad_fn names, `next_functions`, exception type and exact text).

A program is `prog(lib, rec)`: `lib` is the torch or numtorch module, `rec(label, value)` records
an observation and `rec.run(label, thunk)` records the result of `thunk()` or the exception it
raised (returning the result, or None)."""
from __future__ import annotations

import math
import warnings

import numpy as np

import numtorch as nt

_TRIGGERED = " (Triggered internally at"


def _is_tensor(v) -> bool:
    t = type(v)
    return hasattr(t, "_version") and hasattr(t, "grad_fn") and hasattr(t, "detach")


def _is_node(v) -> bool:
    return hasattr(type(v), "next_functions") or (hasattr(v, "next_functions") and hasattr(v, "name"))


def _error(e: BaseException):
    return ("raise", type(e).__name__, str(e))


def node_name(fn):
    return None if fn is None else type(fn).__name__


def grad_fn_of(t):
    try:
        return node_name(t.grad_fn)
    except Exception as e:  # noqa: BLE001 - the error itself is the observation
        return _error(e)


class Floats:
    """Float values, equal when close (both libraries may round differently in the last bit)."""
    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array.astype(np.float64)

    def __eq__(self, other) -> bool:
        return (isinstance(other, Floats) and self.array.shape == other.array.shape
                and bool(np.allclose(self.array, other.array, rtol=1e-5, atol=1e-6, equal_nan=True)))

    def __repr__(self) -> str:
        return repr(self.array.tolist())


def values(t):
    a = np.array(t.detach().numpy(), copy=True)
    if a.dtype.kind in "fc":
        return (str(a.dtype), a.shape, Floats(a))
    return (str(a.dtype), a.shape, a.tolist())


def describe(v, depth: int = 0, version: bool = True):
    """A library-independent description of a recorded value. `version=False` is for gradients:
    their `_version` and `_is_view()` depend on how the engine sums and stores them (in place or
    not), which is not part of the semantics under test."""
    if _is_tensor(v):
        try:
            ver = v._version if version else None
        except RuntimeError as e:
            ver = _error(e)
        return ("tensor", values(v), str(v.dtype), tuple(v.shape), v.requires_grad,
                grad_fn_of(v), v._is_view() if version else None, ver)
    if _is_node(v):
        if depth > 2:
            return ("node", v.name())
        nf = v.next_functions
        return ("node", type(v).__name__, v.name(),
                tuple((None if f is None else describe(f, depth + 1), nr) for f, nr in nf))
    if isinstance(v, (tuple, list)):
        return tuple(describe(x, depth) for x in v)
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    if isinstance(v, (np.generic,)):
        return v.item()
    if type(v).__name__ in ("Size",):
        return tuple(v)
    if type(v).__name__ == "dtype":
        return str(v)
    return v


class Recorder:
    def __init__(self, lib) -> None:
        self.lib = lib
        self.log: list = []

    def __call__(self, label, value) -> None:
        self.log.append((label, describe(value)))

    def run(self, label, thunk):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = thunk()
        except Exception as e:  # noqa: BLE001 - the error itself is the observation
            self.log.append((label, _error(e)))
            return None
        self.log.append((label, describe(result)))
        for w in caught:
            text = str(w.message).split(_TRIGGERED)[0]
            self.log.append((label + ":warning", (w.category.__name__, text)))
        return result

    def tensor(self, label, t) -> None:
        """Everything about a tensor, including its storage geometry and gradient."""
        self(label, t)
        self.log.append((label + ":geometry", (t.stride(), t.storage_offset(), t.is_contiguous())))
        if t.is_leaf and t.requires_grad:
            self.grad(label + ":grad", t.grad)

    def grad(self, label, g) -> None:
        """A gradient (or tuple of them): compared without `_version`."""
        if isinstance(g, (tuple, list)):
            self.log.append((label, tuple(describe(x, version=False) for x in g)))
        else:
            self.log.append((label, describe(g, version=False)))


def execute(prog, lib):
    rec = Recorder(lib)
    prog(lib, rec)
    return rec.log


def compare_logs(expected, got) -> None:
    """Assert two recorded logs are identical, reporting the first difference."""
    assert expected, "the program recorded nothing"
    for (lt, want), (ln, have) in zip(expected, got):
        assert lt == ln, f"labels differ: torch {lt!r}, numtorch {ln!r}\n  torch: {want}\n  numtorch: {have}"
        assert have == want, f"{lt}:\n  torch:    {want}\n  numtorch: {have}"
    assert len(got) == len(expected), (len(got), len(expected))


def compare(prog, torch):
    """Run prog under both libraries; assert the logs are identical; return the torch log."""
    expected = execute(prog, torch)
    got = execute(prog, nt)
    compare_logs(expected, got)
    return expected
