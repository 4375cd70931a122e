"""Differential harness: build the same inputs in torch and numtorch, run a callable in both, and
compare outcomes (values, dtypes, shapes, graph structure, exceptions) with one set of helpers.

Inputs are described by `T` specs (op_table.py), materialised once as NumPy arrays per sample, then
turned into tensors of each library. A leaf that requires grad is kept in `leaves`; a
non-contiguous input is a transposed view of such a leaf."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch

import numtorch

LIBS = {"torch": torch, "numtorch": numtorch}

FLOAT_DTYPES = ("float16", "float32", "float64")
TOL = {
    "float16": (1e-3, 1e-3),
    "float32": (2e-6, 1e-6),
    "float64": (1e-12, 1e-12),
    "complex64": (2e-6, 1e-6),
    "complex128": (1e-12, 1e-12),
}


# ---- input specs ---------------------------------------------------------------------------
@dataclass
class T:
    """A tensor argument: shape, dtype, requires_grad (default: floating), value domain.

    `domain=(lo, hi)` draws |values| from [lo, hi]; `signed` gives each value a random sign.
    `values` fixes the data (ties, zeros, NaN). `noncontig` makes the input a transposed view."""

    shape: tuple
    dtype: str = "float32"
    rg: bool | None = None
    domain: tuple = (-2.0, 2.0)
    signed: bool = False
    noncontig: bool = False
    values: Any = None

    @property
    def requires_grad(self) -> bool:
        if self.rg is not None:
            return self.rg
        return self.dtype in FLOAT_DTYPES

    def array(self, rng: np.random.Generator) -> np.ndarray:
        if self.values is not None:
            return np.array(self.values, dtype=self.dtype).reshape(self.shape)
        lo, hi = self.domain
        if self.dtype == "bool":
            a = rng.random(self.shape) < 0.5
        elif self.dtype in FLOAT_DTYPES:
            a = rng.uniform(lo, hi, self.shape)
        else:
            a = rng.integers(int(lo), int(hi) + 1, self.shape)
        if self.signed:
            a = a * rng.choice([-1, 1], self.shape)
        return np.asarray(a).astype(self.dtype)


@dataclass(frozen=True)
class D:
    """A dtype argument (`dtype=D("float64")`), resolved in each library."""

    name: str

    def __repr__(self) -> str:
        return self.name


@dataclass
class S:
    """One sample: positional and keyword arguments (T specs or plain Python values)."""

    args: tuple
    kwargs: dict
    name: str = ""

    def __init__(self, *args, name: str = "", **kwargs) -> None:
        self.args = args
        self.kwargs = kwargs
        self.name = name

    def ident(self) -> str:
        if self.name:
            return self.name
        parts = []
        for a in list(self.args) + list(self.kwargs.values()):
            if isinstance(a, T):
                shp = "x".join(map(str, a.shape)) or "0d"
                tag = a.dtype.replace("float", "f").replace("int", "i")
                parts.append(f"{shp}{tag}{'nc' if a.noncontig else ''}{'' if a.requires_grad else 'ng'}")
            else:
                parts.append(repr(a))
        return "-".join(parts)


@dataclass
class Built:
    args: list
    kwargs: dict
    leaves: list  # leaves that require grad, in spec order
    tensors: list  # every tensor argument as passed to the op (views included)


def seed_for(key: str) -> int:
    return zlib.crc32(key.encode())


def materialize(sample: S, key: str) -> tuple[list, dict]:
    rng = np.random.default_rng(seed_for(key))
    args = [a.array(rng) if isinstance(a, T) else a for a in sample.args]
    kwargs = {k: v.array(rng) if isinstance(v, T) else v for k, v in sample.kwargs.items()}
    return args, kwargs


def _tensor(L, spec: T, arr: np.ndarray, leaves: list, tensors: list):
    dtype = getattr(L, spec.dtype)
    if spec.noncontig and arr.ndim >= 2:
        leaf = L.tensor(np.ascontiguousarray(np.swapaxes(arr, -1, -2)), dtype=dtype)
        if spec.requires_grad:
            leaf.requires_grad_()
            leaves.append(leaf)
        t = leaf.transpose(-1, -2)
    else:
        t = L.tensor(arr.copy(), dtype=dtype, requires_grad=spec.requires_grad)
        if spec.requires_grad:
            leaves.append(t)
    tensors.append(t)
    return t


def build(L, sample: S, arrays: tuple[list, dict]) -> Built:
    leaves: list = []
    tensors: list = []
    vals, kvals = arrays

    def value(spec, v):
        if isinstance(spec, T):
            return _tensor(L, spec, v, leaves, tensors)
        if isinstance(spec, D):
            return getattr(L, spec.name)
        return v

    args = [value(a, v) for a, v in zip(sample.args, vals)]
    kwargs = {k: value(sample.kwargs[k], v) for k, v in kvals.items()}
    return Built(args, kwargs, leaves, tensors)


# ---- running and comparing -------------------------------------------------------------------
@dataclass
class Outcome:
    value: Any = None
    error: tuple | None = None  # (type name, message)
    extra: dict = field(default_factory=dict)


def run(fn: Callable, *args, **kwargs) -> Outcome:
    try:
        return Outcome(value=fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - the exception itself is what we compare
        return Outcome(error=(type(e).__name__, str(e)))


def same_error(t: Outcome, n: Outcome) -> bool:
    """Asserts both raised the same exception or neither did; True when both raised."""
    assert n.error == t.error, f"torch: {t.error!r}\nnumtorch: {n.error!r}"
    return t.error is not None


def outputs(value) -> list:
    """A result as a flat list: a tensor, a tuple of tensors (max(dim)), or a Python value."""
    if isinstance(value, (tuple, list)):
        return list(value)
    return [value]


def is_tensor(x) -> bool:
    return isinstance(x, (torch.Tensor, numtorch.Tensor))


def dtype_name(t) -> str:
    return str(t.dtype).replace("torch.", "")


def to_numpy(t) -> np.ndarray:
    # force=True: torch may return an efficient ZeroTensor (e.g. the double grad of abs)
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else np.asarray(t.detach()._data)


def coarsest(sample: S) -> str | None:
    """The least precise floating dtype among a sample's tensors: a float64 gradient of a float32
    computation is only as exact as float32 (reduction order differs between libraries)."""
    names = [
        a.dtype
        for a in list(sample.args) + list(sample.kwargs.values())
        if isinstance(a, T) and a.dtype in TOL
    ]
    return max(names, key=lambda n: TOL[n][0], default=None)


def assert_values(t, n, what: str, tol_scale: float = 1.0, floor: str | None = None) -> None:
    """Same dtype, shape and values (exact for integers/bools, tight tolerance for floats).
    `floor` names a dtype whose (looser) tolerance applies if it is looser than the result's."""
    assert dtype_name(n) == dtype_name(t), f"{what}: dtype {n.dtype} != torch {t.dtype}"
    assert tuple(n.shape) == tuple(t.shape), f"{what}: shape {tuple(n.shape)} != torch {tuple(t.shape)}"
    a, b = to_numpy(t), to_numpy(n)
    name = dtype_name(t)
    if name in TOL:
        rtol, atol = TOL[name]
        if floor is not None and TOL[floor][0] > rtol:
            rtol, atol = TOL[floor]
        np.testing.assert_allclose(
            b, a, rtol=rtol * tol_scale, atol=atol * tol_scale, equal_nan=True, err_msg=what
        )
    else:
        np.testing.assert_array_equal(b, a, err_msg=what)


def assert_same_value(t, n, what: str, tol_scale: float = 1.0, floor: str | None = None) -> None:
    if is_tensor(t):
        assert is_tensor(n), f"{what}: numtorch returned {type(n).__name__}, torch a Tensor"
        assert_values(t, n, what, tol_scale, floor)
    else:
        assert not is_tensor(n), f"{what}: numtorch returned a Tensor, torch {type(t).__name__}"
        assert type(n) is type(t) and n == t, f"{what}: {n!r} != torch {t!r}"


def grad_fn_name(t) -> str | None:
    fn = t.grad_fn
    return None if fn is None else type(fn).__name__


def graph_signature(fn, leaves: list, depth: int = 0):
    """Node names and next_functions edges down to the leaves (AccumulateGrad -> leaf index)."""
    if fn is None:
        return None
    name = type(fn).__name__
    if name == "AccumulateGrad":
        idx = next((i for i, leaf in enumerate(leaves) if leaf is fn.variable), "?")
        return ("AccumulateGrad", idx)
    if depth > 12:
        return (name, "...")
    return (name, tuple((graph_signature(f, leaves, depth + 1), nr) for f, nr in fn.next_functions))


def random_like(L, t, key: str, requires_grad: bool = False):
    rng = np.random.default_rng(seed_for(key))
    arr = rng.standard_normal(tuple(t.shape)).astype(dtype_name(t))
    return L.tensor(arr, dtype=t.dtype, requires_grad=requires_grad)


def differentiable(outs: list) -> list:
    return [
        o for o in outs if is_tensor(o) and o.requires_grad and o.grad_fn is not None and dtype_name(o) in TOL
    ]
