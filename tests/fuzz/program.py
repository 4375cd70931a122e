"""Differential program fuzzing: random small PyTorch programs, run in torch and numtorch.

A program is data: a list of steps, each `[kind, i, j, a, b, c, m]` (plus a shape list for
"new"), JSON-serialisable so a divergence can be saved and replayed. The interpreter (`run`) turns
each step into concrete library calls on a pool of tensors using the *current* shapes and dtypes
(which are the same in both libraries unless numtorch is wrong), so any program is valid input:
steps that make no sense raise, and the exception is the observation. Fields are small integers
interpreted modulo the current choices, so shrinking a field towards 0 keeps a program meaningful.

`i`, `j` pick pool tensors counted from the newest; `a`, `b`, `c` parameterise the op; `m` is the
grad mode of the step (0-4: default, 5: no_grad, 6: enable_grad inside no_grad, 7: inference_mode).

After every step the log gets the step's outputs (values with dtype-dependent tolerance, dtype,
shape, `_version`, `is_leaf`, `requires_grad`, grad_fn name, `_is_view()`), the state of every pool
tensor (the same, plus `.grad` of leaves), hook calls and warnings. An exception is logged as
(type, message) and ends the program in both libraries. `compare(program)` runs both and returns
None or a `Divergence` (step index, the two observations)."""
from __future__ import annotations

import json
import math
import os
import re
import sys
import warnings
from dataclasses import dataclass

import numpy as np

import numtorch

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(_HERE), "autograd"))
from test_view_properties import (_aliases_unsafely, apply_inplace,  # noqa: E402
                                  apply_setitem, apply_view)

import torch  # noqa: E402  (the oracle; numtorch itself never imports it)

LIBS = {"torch": torch, "numtorch": numtorch}
DTYPES = ("float32", "float64", "int64", "bool")
SIZE_OF = (2, 1, 3, 4)  # shape entries are indices into this (0 -> 2); 0-size dims are explicit

# torch warns these once per process: which program sees them first is order-dependent
ONCE_PER_PROCESS = ("The use of `x.T`", "Tensor.T is deprecated", "Tensor.mT is deprecated",
                    "Using backward() with create_graph=True",
                    "grad and param do not obey the gradient layout contract")  # TORCH_WARN_ONCE
_TRIGGERED = " (Triggered internally at"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


# ==== observations ================================================================================
class Values:
    """A tensor's values: exact for integers and bools; for floats close relative to the tensor's
    magnitude (float32 sums and transcendental functions differ in the last bits). `loose`: the
    values were computed from float32 data (NOTE [Precision provenance])."""
    __slots__ = ("array", "dtype", "loose")

    def __init__(self, array: np.ndarray, loose: bool = False) -> None:
        self.array = array
        self.dtype = str(array.dtype)
        self.loose = loose

    def __eq__(self, other) -> bool:
        if not isinstance(other, Values) or other.dtype != self.dtype or other.array.shape != self.array.shape:
            return False
        a, b = self.array, other.array
        if a.dtype.kind not in "fc":
            return bool(np.array_equal(a, b))
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        if not np.array_equal(np.isnan(a64), np.isnan(b64)):
            return False
        fin = np.isfinite(a64) & np.isfinite(b64)
        if not np.array_equal(a64[~fin & ~np.isnan(a64)], b64[~fin & ~np.isnan(b64)]):
            return False
        if not fin.any():
            return True
        loose = a.dtype.itemsize <= 4 or self.loose or other.loose or _float32_values(a64[fin], b64[fin])
        rtol = 1e-4 if loose else 1e-9
        scale = max(1.0, float(np.abs(a64[fin]).max()), float(np.abs(b64[fin]).max()))
        return bool(np.allclose(a64[fin], b64[fin], rtol=rtol, atol=rtol * scale * 0.1))

    def __repr__(self) -> str:
        return f"{self.dtype}{list(self.array.shape)}:{self.array.tolist()!r}"


def _float32_values(a64: np.ndarray, b64: np.ndarray) -> bool:
    """Both float64 arrays hold only float32 values: a float32 result cast up (x.double()), which
    carries float32's precision, so it is compared at float32's tolerance. A float64 op that
    computed at float32 precision in one library only still fails: the other's values are not."""
    with np.errstate(over="ignore"):  # values beyond float32's range are not float32 values
        return bool(np.array_equal(a64.astype(np.float32), a64) and np.array_equal(b64.astype(np.float32), b64))


def _error(e: BaseException) -> tuple:
    return ("raise", type(e).__name__, _ADDRESS.sub("0x?", str(e).split(_TRIGGERED)[0]))


def _try(thunk):
    try:
        return thunk()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return _error(e)


def is_tensor(v) -> bool:
    return isinstance(v, (torch.Tensor, numtorch.Tensor))


def values(t, loose: bool = False) -> Values:
    # force: either library may hand out an efficient ZeroTensor gradient (numpy() refuses it)
    return Values(np.array(t.detach().numpy(force=True), copy=True), loose)


def node_name(t):
    fn = t.grad_fn
    return None if fn is None else type(fn).__name__


def _no_version(d):
    return d[:4] + d[5:8]


def describe(v, grad: bool = False, loose: bool = False, grad_loose: bool = False):
    """A library-independent description of a value. `grad=True` also describes `.grad` (leaves).
    `loose` and `grad_loose`: the values, the gradient's values, derive from float32 data."""
    if is_tensor(v):
        d = ("T", str(v.dtype).replace("torch.", ""), tuple(v.shape), _try(lambda: values(v, loose)),
             _try(lambda: v._version), _try(lambda: v.is_leaf), _try(lambda: v.requires_grad),
             _try(lambda: node_name(v)), _try(v._is_view))
        if grad and d[5] is True:
            g = _try(lambda: v.grad)
            # a gradient's _version and _is_view() depend on how the engine sums and stores
            # it (in place or not): not part of the semantics under test
            d += (None if g is None else g if isinstance(g, tuple)
                  else _no_version(describe(g, loose=grad_loose)),)
        return d
    if isinstance(v, (tuple, list)):
        return tuple(describe(x, loose=loose) for x in v)
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    if isinstance(v, np.generic):
        return v.item()
    if type(v).__name__ in ("Size", "dtype"):
        return str(v).replace("torch.", "")
    if isinstance(v, (int, float, bool, str, type(None))):
        return v
    return type(v).__name__


# ==== the interpreter =============================================================================
class Ctx:
    def __init__(self, lib) -> None:
        self.lib = lib
        self.pool: list = []
        self.leaves: list = []  # made by the view/in-place helpers shared with tests/autograd
        self.index_tensors: list = []
        self.log: list = []
        self.handles: list = []
        self.gradlike: set = set()  # ids of computed gradients (compared without _version)
        self.lowp: set = set()  # ids of tensors whose values derive from float32 data
        self.lowp_graph = False  # a float32-derived tensor took part in autograd
        self.touched: list = []  # the tensors the current step picked or made

    def pick(self, i: int):
        t = self.pool[-1 - i % len(self.pool)]
        self.touched.append(t)
        return t

    def add(self, t, always=False):
        if is_tensor(t) and (always or not any(t is p for p in self.pool)):
            self.pool.append(t)
            self.touched.append(t)

    def is_lowp(self, t) -> bool:
        return is_tensor(t) and (id(t) in self.lowp or str(t.dtype).endswith(_LOW_DTYPES))

    def track_precision(self, kind: str, outs: list) -> None:
        """NOTE [Precision provenance]: float32 results differ between the libraries in their
        last bit (transcendental kernels: SLEEF, MKL or glibc, vectorised or scalar by size), and
        float64 arithmetic on such values carries the difference into float64 results at float32's
        relative size. So a tensor computed from float32 data compares at float32's tolerance
        whatever its dtype; a gradient does once float32-derived tensors joined the graph. An
        in-place step writes through to every alias, so one with float32-derived input marks the
        whole pool. Computations on float64 data alone keep float64's tolerance."""
        if any(self.is_lowp(t) for t in self.touched) or any(self.is_lowp(o) for o in outs):
            self.lowp.update(id(o) for o in outs if is_tensor(o))
            self.lowp.update(id(t) for t in self.touched)
            if kind in _WRITES:
                self.lowp.update(id(t) for t in self.pool)
        if any(self.is_lowp(t) and t.requires_grad for t in self.touched + outs if is_tensor(t)):
            self.lowp_graph = True


_LOW_DTYPES = ("float32", "float16", "bfloat16")
_WRITES = ("inplace", "inplace2", "setitem", "detach")


class Skip(Exception):
    """A step that cannot be made (no tensor yet): skipped in both libraries."""


def _np_values(dtype: str, shape: tuple, seed: int, special: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        a = rng.random(n) < 0.5
    elif dtype == "int64":
        a = rng.integers(-4, 6, n)
    else:
        a = rng.integers(-8, 9, n) / 4.0
        if special % 8 == 7 and n:  # some non-finite and signed-zero values
            a[rng.integers(0, n)] = (np.nan, np.inf, -np.inf, -0.0)[special // 8 % 4]
    return a.reshape(shape).astype(dtype)


def _weights(L, t):
    """A deterministic non-constant tensor shaped like t (for non-trivial gradients)."""
    n = t.numel()
    w = (L.arange(float(n)) % 3 + 1).reshape(tuple(t.shape))
    return w.to(t.dtype) if t.is_floating_point() else w


NEW_DTYPES = ("float32", "float32", "float32", "float64", "float64", "int64", "bool")


def step_new(ctx, L, dtype, rg, variant, seed, special, shape):
    dtype_name = NEW_DTYPES[dtype % len(NEW_DTYPES)]
    dt = getattr(L, dtype_name)
    shape = tuple(SIZE_OF[s % 4] if s >= 0 else 0 for s in shape)
    floating = dtype_name.startswith("float")
    want_grad = (rg % 3 == 1 and floating) or rg % 3 == 2  # 2: also int/bool, which raises
    v = variant % 8
    arr = _np_values(dtype_name, shape, seed, special)
    if v == 0 or (v == 4 and len(shape) != 2):
        t = L.tensor(arr.tolist(), dtype=dt, requires_grad=want_grad)
    elif v == 1:
        t = (L.ones, L.zeros)[seed % 2](shape, dtype=dt, requires_grad=want_grad)
    elif v == 2:
        t = L.full(shape, (1.5, -2, True, 3)[seed % 4], dtype=dt)
        if want_grad:
            t.requires_grad_()
    elif v == 3:  # a non-contiguous view of a leaf
        base = L.tensor(arr.T.copy().tolist(), dtype=dt, requires_grad=want_grad)
        ctx.add(base)
        t = base.t() if len(shape) <= 2 else base.permute(*reversed(range(len(shape))))
    elif v == 4:
        t = L.eye(shape[0], shape[1], dtype=dt, requires_grad=want_grad)
    elif v == 5:
        t = L.arange(float(max(1, int(np.prod(shape)))))[:int(np.prod(shape))].reshape(shape).to(dt)
        if want_grad:
            t.requires_grad_()
    elif v == 6:  # a 0-d tensor
        t = L.tensor(arr.reshape(-1)[0].item() if arr.size else 1.0, dtype=dt, requires_grad=want_grad)
    else:  # a leaf with requires_grad set after the fact, through the property setter
        t = L.tensor(arr.tolist(), dtype=dt)
        if want_grad:
            t.requires_grad = True
    return t


def _scalar(a):
    return (2, 0.5, -1.5, True, 0, 3, -2.0, 1e-3)[a % 8]


def _fresh_like(ctx, L, t, a, b):
    """A new leaf broadcastable against t: a suffix of t's shape with some sizes set to 1."""
    shape = list(t.shape)
    shape = shape[a % (len(shape) + 1):] if a % 3 == 2 else shape
    shape = [1 if (b >> k) & 1 else n for k, n in enumerate(shape)]
    dtype = ("float32", "float32", "float64", "int64", "bool")[(a // 3) % 5]
    arr = _np_values(dtype, tuple(shape), a * 31 + b, 0)
    o = L.tensor(arr.tolist(), dtype=getattr(L, dtype), requires_grad=dtype.startswith("float") and b % 4 != 3)
    ctx.add(o)
    return o


def operand(ctx, L, t, kind, a, b):
    k = kind % 7
    if k == 0:
        return _scalar(a)
    if k in (1, 2):
        return _fresh_like(ctx, L, t, a, b)
    if k == 3:
        return ctx.pick(a)
    if k == 4:
        o = L.tensor(_scalar(a), dtype=getattr(L, DTYPES[b % 4]))
        ctx.add(o)
        return o
    if k == 5:
        return t
    return t.detach()


F = "nn.functional"


def _f(L, name):
    obj = L
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


UNARY = {
    "neg": lambda L, t, a: t.neg(), "abs": lambda L, t, a: L.abs(t), "exp": lambda L, t, a: t.exp(),
    "log": lambda L, t, a: t.log(), "sqrt": lambda L, t, a: t.sqrt(), "sin": lambda L, t, a: L.sin(t),
    "cos": lambda L, t, a: t.cos(), "tanh": lambda L, t, a: t.tanh(), "sigmoid": lambda L, t, a: t.sigmoid(),
    "relu": lambda L, t, a: L.relu(t), "square": lambda L, t, a: t.square(), "sign": lambda L, t, a: t.sign(),
    "floor": lambda L, t, a: t.floor(), "ceil": lambda L, t, a: t.ceil(), "round": lambda L, t, a: t.round(),
    "reciprocal": lambda L, t, a: t.reciprocal(), "rsqrt": lambda L, t, a: t.rsqrt(),
    "expm1": lambda L, t, a: t.expm1(), "log1p": lambda L, t, a: t.log1p(), "trunc": lambda L, t, a: t.trunc(),
    "frac": lambda L, t, a: t.frac(), "sinh": lambda L, t, a: t.sinh(), "atan": lambda L, t, a: t.atan(),
    "asin": lambda L, t, a: t.asin(), "log2": lambda L, t, a: t.log2(), "exp2": lambda L, t, a: t.exp2(),
    "logical_not": lambda L, t, a: t.logical_not(), "bitwise_not": lambda L, t, a: ~t,
    "float": lambda L, t, a: t.float(), "double": lambda L, t, a: t.double(), "long": lambda L, t, a: t.long(),
    "bool": lambda L, t, a: t.bool(), "to": lambda L, t, a: t.to(getattr(L, DTYPES[a % 4])),
    "clamp": lambda L, t, a: t.clamp(min=-1.0, max=(1.0, 0.5, None)[a % 3]),
    "clamp_min": lambda L, t, a: t.clamp(min=(0, 0.5, -1)[a % 3]),
    "pow_scalar": lambda L, t, a: t.pow((2, 0.5, -1, 3, 0)[a % 5]),
    "rpow": lambda L, t, a: (2, 0.5, 2.0)[a % 3] ** t,
    "nan_to_num": lambda L, t, a: t.nan_to_num(), "isnan": lambda L, t, a: t.isnan(),
    "isfinite": lambda L, t, a: t.isfinite(),
    "softmax": lambda L, t, a: t.softmax(a % max(t.dim(), 1) if t.dim() else 0),
    "log_softmax": lambda L, t, a: L.log_softmax(t, -1 if t.dim() else 0),
    "gelu": lambda L, t, a: _f(L, F).gelu(t), "silu": lambda L, t, a: _f(L, F).silu(t),
    "softplus": lambda L, t, a: _f(L, F).softplus(t), "leaky_relu": lambda L, t, a: _f(L, F).leaky_relu(t, 0.1),
    "elu": lambda L, t, a: _f(L, F).elu(t), "hardtanh": lambda L, t, a: _f(L, F).hardtanh(t),
    "cumsum": lambda L, t, a: t.cumsum(a % max(t.dim(), 1) if t.dim() else 0),
    "cumprod": lambda L, t, a: t.cumprod(-1 if t.dim() else 0),
    "erf": lambda L, t, a: t.erf(), "sgn": lambda L, t, a: t.sgn(), "positive": lambda L, t, a: +t,
    "contiguous": lambda L, t, a: t.contiguous(), "clone": lambda L, t, a: t.clone(),
    "tril": lambda L, t, a: t.tril(a % 3 - 1), "triu": lambda L, t, a: t.triu(a % 3 - 1),
    "flip": lambda L, t, a: t.flip(tuple(range(t.dim()))[a % max(t.dim(), 1):]),
    "roll": lambda L, t, a: t.roll(1 + a % 2, a % max(t.dim(), 1) if t.dim() else None),
    "repeat": lambda L, t, a: t.repeat(*((1 + a % 2,) * max(1, t.dim() + a % 2))),
}

BINARY = {
    "add": lambda L, x, y, a: L.add(x, y), "add_alpha": lambda L, x, y, a: x.add(y, alpha=(2, 0.5)[a % 2]),
    "sub": lambda L, x, y, a: x - y, "rsub": lambda L, x, y, a: y - x if not is_tensor(y) else L.rsub(x, y),
    "mul": lambda L, x, y, a: x * y, "div": lambda L, x, y, a: x / y,
    "div_floor": lambda L, x, y, a: L.div(x, y, rounding_mode="floor"),
    "div_trunc": lambda L, x, y, a: x.div(y, rounding_mode="trunc"),
    "floordiv": lambda L, x, y, a: x // y, "remainder": lambda L, x, y, a: x % y,
    "fmod": lambda L, x, y, a: L.fmod(x, y), "pow": lambda L, x, y, a: x ** y,
    "maximum": lambda L, x, y, a: L.maximum(x, y), "minimum": lambda L, x, y, a: x.minimum(y),
    "atan2": lambda L, x, y, a: x.atan2(y if is_tensor(y) else L.tensor(y)), "eq": lambda L, x, y, a: x == y, "ne": lambda L, x, y, a: x != y,
    "lt": lambda L, x, y, a: x < y, "le": lambda L, x, y, a: L.le(x, y), "gt": lambda L, x, y, a: x > y,
    "ge": lambda L, x, y, a: x.ge(y), "logical_and": lambda L, x, y, a: L.logical_and(x, y),
    "logical_or": lambda L, x, y, a: x.logical_or(y), "and": lambda L, x, y, a: x & y,
    "or": lambda L, x, y, a: x | y, "xor": lambda L, x, y, a: x ^ y,
    "where": lambda L, x, y, a: L.where(x > 0, x, y), "where_cond": lambda L, x, y, a: L.where(y > 0.5, y, x) if is_tensor(y) else L.where(x > 0.5, y, x),
    "clamp_t": lambda L, x, y, a: x.clamp(min=y), "mse": lambda L, x, y, a: _f(L, F).mse_loss(x, y),
    "lerp": lambda L, x, y, a: x.lerp(y if is_tensor(y) else L.tensor(y), 0.25), "hypot": lambda L, x, y, a: x.hypot(y if is_tensor(y) else L.tensor(y)),
    "xlogy": lambda L, x, y, a: x.xlogy(y),
    "radd": lambda L, x, y, a: y + x, "rmul": lambda L, x, y, a: y * x, "rdiv": lambda L, x, y, a: y / x,
}


def _dim(t, a, allow_bad=True):
    nd = t.dim()
    if allow_bad and a % 13 == 12:
        return nd + 1  # out of range
    d = a % max(nd, 1)
    return d - max(nd, 1) if (a // 2) % 2 else d


def _reduce(L, t, name, a, b):
    keep = bool(b % 2)
    full = b % 3 == 2
    d = _dim(t, a)
    if name in ("sum", "mean", "prod", "amax", "amin", "logsumexp", "nansum", "count_nonzero"):
        if full and name not in ("logsumexp", "amax", "amin", "count_nonzero"):
            return getattr(t, name)()
        if name == "count_nonzero":
            return t.count_nonzero(d)
        if name == "prod":
            return t.prod(d, keepdim=keep)
        if name in ("sum", "mean", "amax", "amin", "logsumexp") and b % 5 == 4 and t.dim() >= 2:
            return getattr(t, name)((0, -1), keepdim=keep)
        return getattr(t, name)(d, keepdim=keep)
    if name in ("max", "min", "median"):
        return getattr(t, name)() if full else getattr(t, name)(d, keepdim=keep)
    if name in ("argmax", "argmin"):
        return getattr(t, name)() if full else getattr(t, name)(d, keepdim=keep)
    if name in ("std", "var"):
        if full:
            return getattr(t, name)()
        return getattr(t, name)(d, correction=b % 3, keepdim=keep)
    if name == "norm":
        p = (2, 1, float("inf"), 3)[b % 4]
        return t.norm(p) if full else t.norm(p, dim=d, keepdim=keep)
    if name in ("any", "all"):
        return getattr(t, name)() if full else getattr(t, name)(d, keepdim=keep)
    if name == "sum_dtype":
        return t.sum(dtype=getattr(L, DTYPES[b % 3]))
    if name == "mean_empty_dims":
        return t.mean(dim=(), keepdim=keep) if b % 2 else t.sum(())
    raise AssertionError(name)


REDUCE = ("sum", "mean", "prod", "amax", "amin", "logsumexp", "count_nonzero", "max", "min",
          "argmax", "argmin", "std", "var", "norm", "any", "all", "sum_dtype", "nansum",
          "mean_empty_dims")


def _fresh(ctx, L, shape, t, seed):
    arr = _np_values("float32" if t.dtype == L.float32 else "float64" if t.dtype == L.float64
                     else "int64" if t.dtype == L.int64 else "bool", tuple(shape), seed, 0)
    o = L.tensor(arr.tolist(), dtype=t.dtype, requires_grad=t.is_floating_point() and seed % 3 != 2)
    ctx.add(o)
    return o


def _matmul(ctx, L, t, name, y_kind, a, b):
    shape = list(t.shape)
    k = 1 + a % 3
    last = shape[-1] if shape else 1
    other = ctx.pick(b) if y_kind % 5 == 4 else None

    def fresh(shape_):
        return other if other is not None else _fresh(ctx, L, shape_, t, a + 7 * b)
    if name == "matmul":
        if len(shape) <= 1 or a % 4 == 0:
            return L.matmul(t, fresh([last] if a % 2 else [last, k]))
        return t @ fresh(([2] if b % 3 == 0 else []) + [last, k])
    if name == "rmatmul":
        first = shape[-2] if len(shape) >= 2 else (shape[0] if shape else 1)
        return fresh([k, first]) @ t
    if name == "mm":
        return t.mm(fresh([last, k]))
    if name == "bmm":
        return L.bmm(t, fresh([shape[0] if shape else 1, last, k]))
    if name == "mv":
        return t.mv(fresh([last]))
    if name == "dot":
        return L.dot(t, fresh([last]))
    if name == "outer":
        return t.outer(fresh([k]))
    if name == "linear":
        w = fresh([k, last])
        return _f(L, F).linear(t, w, None if b % 2 else fresh([k]))
    if name == "einsum":
        return L.einsum("...i,ij->...j", t, fresh([last, k]))
    if name == "gram":
        return t.mT @ t if t.dim() >= 2 else t @ t
    if name == "tensordot":
        return L.tensordot(t, fresh([last, k]), dims=1)
    raise AssertionError(name)


MATMUL = ("matmul", "matmul", "rmatmul", "mm", "bmm", "mv", "dot", "outer", "linear", "einsum",
          "gram", "tensordot")


def _index(ctx, L, t, name, a, b, c):
    nd = t.dim()
    d = _dim(t, a, allow_bad=False)
    n = t.shape[d] if nd else 1
    bad = c % 11 == 10
    pos = [(a + i * (b + 1)) % max(n, 1) for i in range(1 + b % 3)]
    if bad:
        pos[-1] = n + c % 3
    elif c % 3 == 1:
        pos = [p - n for p in pos]
    idx = L.tensor(pos, dtype=L.int64)
    ctx.add(idx)
    if name == "int_tensor":
        return t[idx]
    if name == "list":
        return t[pos]
    if name == "mask":
        return t[t.detach() > 0.3] if not bad else t[L.tensor([True] * (n + 1))]
    if name == "index_select":
        return t.index_select(d, idx)
    if name == "gather":
        idx2 = (L.arange(t.numel()) * (b + 1) % max(n, 1)).reshape(tuple(t.shape))
        if bad:
            idx2 = idx2 + n
        return t.gather(d, idx2)
    if name == "masked_select":
        return t.masked_select(t.detach() < 0.5)
    if name == "take":
        return t.take(idx)
    if name == "mixed":
        return t[..., idx] if nd else t[idx]
    if name == "two_index":
        return t[idx, idx] if nd >= 2 else t[idx]
    if name == "nonzero":
        return t.nonzero()
    if name == "sort":
        return t.sort(dim=d, descending=bool(b % 2), stable=True)
    if name == "masked_fill":
        return t.masked_fill(t.detach() > 0, (0.5, -1, True)[b % 3])
    if name == "scatter_add":
        idx2 = (L.arange(t.numel()) * (b + 1) % max(n, 1)).reshape(tuple(t.shape))
        return L.zeros_like(t).scatter_add(d, idx2, t)
    if name == "index_add":
        return t.index_add(d, idx, L.ones_like(t.index_select(d, idx)))
    raise AssertionError(name)


INDEX = ("int_tensor", "list", "mask", "index_select", "gather", "masked_select", "mixed",
         "two_index", "nonzero", "sort", "masked_fill", "scatter_add", "index_add")


def _shape_op(ctx, L, t, name, a, b):
    nd = t.dim()
    d = _dim(t, a)
    if name == "cat":
        return L.cat([t, ctx.pick(b) if a % 5 == 4 else t * 2], dim=d)
    if name == "stack":
        return L.stack([t, t + 1], dim=a % (nd + 1))
    if name == "expand_contig":
        return t.expand((2,) + tuple(t.shape)).contiguous()
    if name == "reshape_copy":
        return t.mT.reshape(-1) if nd >= 2 else t.reshape(-1)
    if name == "flatten_all":
        return t.flatten()
    if name == "tile":
        return t.tile((1 + b % 2,))
    if name == "broadcast_to":
        return t.broadcast_to((2,) + tuple(t.shape))
    if name == "split_list":
        return t.split(1 + b % 2, d)
    if name == "chunk_all":
        return t.chunk(2, d)
    if name == "unbind_all":
        return t.unbind(d)
    raise AssertionError(name)


SHAPE = ("cat", "stack", "expand_contig", "reshape_copy", "flatten_all", "tile", "broadcast_to",
         "split_list", "chunk_all", "unbind_all")


def _safe_operand(t, other):
    """A pool operand that partially overlaps the target (t.add_(t[:, 1:2])) is read and written
    element by element in torch (its overlap check gives up), so the result depends on its loop
    order: not part of the semantics. Such an operand is cloned (as test_view_properties does)."""
    return other.clone() if is_tensor(other) and _aliases_unsafely(t, other) else other


def _extra_inplace(ctx, L, t, name, a, b):
    if name == "add_pool":
        return t.add_(_safe_operand(t, ctx.pick(b)))
    if name == "relu_":
        return _f(L, F).relu(t, inplace=True)
    if name == "data_add":
        t.data.add_(1)
        return t
    if name == "scatter_":
        n = t.shape[0] if t.dim() else 1
        idx = (L.arange(t.numel()) % max(n, 1)).reshape(tuple(t.shape))
        return t.scatter_(0, idx, (0.5, 2)[b % 2]) if t.dim() else t.scatter_(0, idx, 1.0)
    if name == "index_fill_":  # (torch's error for an empty target is an internal setStorage one)
        return t.index_fill_(0, L.tensor([0]), -1.0) if t.dim() and t.shape[0] else t.fill_(1)
    if name == "mul_scalar":
        return t.mul_(_scalar(b))
    if name == "div_int":
        return t.div_(2)
    if name == "copy_cast":
        return t.copy_(_fresh_like(ctx, L, t, a, b))
    if name == "clamp_tensor_":
        return t.clamp_(max=_fresh_like(ctx, L, t, a, b))
    if name == "sub_alpha":
        return t.sub_(_safe_operand(t, ctx.pick(b)), alpha=2)
    raise AssertionError(name)


EXTRA_INPLACE = ("add_pool", "relu_", "data_add", "scatter_", "index_fill_", "mul_scalar",
                 "div_int", "copy_cast", "clamp_tensor_", "sub_alpha")


def _detach(ctx, L, t, a, b):
    k = a % 9
    if k == 0:
        return t.detach()
    if k == 1:
        return t.detach_()
    if k == 2:
        return t.data
    if k == 3:
        return t.clone()
    if k == 4:
        t.data = ctx.pick(b).clone() if b % 3 else L.zeros_like(t)
        return t
    if k == 5:
        return t.requires_grad_(bool(b % 2))
    if k == 6:
        t.requires_grad = bool(b % 3)
        return t
    if k == 7:
        t.retain_grad()
        return t
    return t.detach().requires_grad_()


def _make_hook(ctx, kind, n):
    log = ctx.log

    def hook(g):
        log.append((f"hook{n}", _no_version(describe(g, loose=ctx.lowp_graph))))
        if kind == 1:
            return g * 2
        if kind == 2:
            return g + 1
        if kind == 3:
            return g.sum()
        if kind == 4:
            return g.detach().double()
        return None
    return hook


def _hook(ctx, L, t, a, b):
    k = a % 8
    n = len(ctx.handles)
    if k < 5:
        ctx.handles.append(t.register_hook(_make_hook(ctx, k, n)))
    elif k == 5:
        t.register_hook(_make_hook(ctx, 0, n)).remove()
        ctx.handles.append(None)
    elif k == 6:
        log = ctx.log

        def post(p):
            log.append((f"post{n}", None if p.grad is None else _no_version(describe(p.grad, loose=ctx.lowp_graph))))
        ctx.handles.append(t.register_post_accumulate_grad_hook(post))
    else:
        live = [h for h in ctx.handles if h is not None]
        if live:
            live[b % len(live)].remove()
    return t


def _grad_leaves(ctx):
    return [p for p in ctx.pool if p.requires_grad and p.is_leaf]


def _backward(ctx, L, t, a, b, c):
    retain = bool(b % 2) or None if b % 4 != 3 else False
    create = bool((b // 2) % 2)
    k = a % 7
    if k == 0:
        t.backward(retain_graph=retain, create_graph=create)
    elif k == 1:
        t.sum().backward(retain_graph=retain, create_graph=create)
    elif k == 2:
        (t * _weights(L, t)).sum().backward(retain_graph=retain, create_graph=create)
    elif k == 3:
        t.backward(gradient=_weights(L, t), retain_graph=retain, create_graph=create)
    elif k == 4:
        L.autograd.backward([t.sum()], retain_graph=retain, create_graph=create)
    elif k == 5:
        leaves = _grad_leaves(ctx)
        chosen = [x for i, x in enumerate(leaves) if (c >> i) & 1] or leaves[:1]
        t.sum().backward(inputs=chosen, retain_graph=retain, create_graph=create)
    else:
        t.backward(gradient=L.ones(()) if t.dim() == 0 else L.ones_like(t), retain_graph=retain)
    return None


def _grad(ctx, L, t, a, b, c):
    retain = bool(b % 2) or None
    create = bool((b // 2) % 2)
    allow_unused = bool((b // 4) % 2)
    cands = [p for p in ctx.pool if p.requires_grad]
    if a % 3 == 0:
        cands = [p for p in cands if p.is_leaf]
    inputs = [x for i, x in enumerate(cands) if (c >> i) & 1] or cands[:1]
    out = t.sum() if a % 4 == 1 else (t * _weights(L, t)).sum() if a % 4 == 2 else t
    grad_outputs = None if out.dim() == 0 else L.ones_like(out)
    res = L.autograd.grad(out, inputs, grad_outputs=grad_outputs, retain_graph=retain,
                          create_graph=create, allow_unused=allow_unused,
                          materialize_grads=bool(allow_unused and c % 2))
    return tuple(res)


def _zero_grad(ctx, L, t, a, b):
    k = a % 4
    if k == 0:
        t.grad = None
    elif k == 1:
        if t.grad is not None:
            t.grad.zero_()
    elif k == 2:
        t.grad = L.zeros_like(t) if b % 3 else L.zeros(3)
    else:  # read it: logged (without _version, an engine detail), not kept in the pool
        g = t.grad
        ctx.log.append(("grad-read", None if g is None else _no_version(describe(g, loose=ctx.lowp_graph))))
        return None
    return t


# inference tensors (made under inference_mode) are covered by tests/autograd; their torch-side
# quirks (e.g. out-of-place results of inference inputs at _version 1) are not modelled here
INFERENCE_MODE = False
KINDS = ("new", "unary", "binary", "reduce", "matmul", "view", "shape", "index", "inplace",
         "inplace2", "setitem", "detach", "hook", "backward", "grad", "zero_grad")
# generator weights per kind
WEIGHTS = {"new": 3, "unary": 5, "binary": 5, "reduce": 3, "matmul": 2, "view": 5, "shape": 2,
           "index": 3, "inplace": 4, "inplace2": 2, "setitem": 2, "detach": 3, "hook": 2,
           "backward": 3, "grad": 2, "zero_grad": 1}
UNARY_NAMES = tuple(UNARY)
BINARY_NAMES = tuple(BINARY)


def _mode(L, m):
    import contextlib
    m = m % 8
    if m == 5:
        return L.no_grad()
    if m == 6:
        stack = contextlib.ExitStack()
        stack.enter_context(L.no_grad())
        stack.enter_context(L.enable_grad())
        return stack
    if m == 7 and INFERENCE_MODE:
        return L.inference_mode()
    if m == 7:
        return L.set_grad_enabled(False)
    return contextlib.nullcontext()


def run_step(ctx, step):
    L = ctx.lib
    kind = step[0]
    if kind == "new":
        _, dtype, rg, variant, seed, special, m, shape = step
        with _mode(L, m):
            return step_new(ctx, L, dtype, rg, variant, seed, special, shape)
    _, i, j, a, b, c, m = step
    if not ctx.pool:
        raise Skip()
    t = ctx.pick(i)
    with _mode(L, m):
        if kind == "unary":
            return UNARY[UNARY_NAMES[j % len(UNARY_NAMES)]](L, t, a)
        if kind == "binary":
            y = operand(ctx, L, t, b, a, c)
            return BINARY[BINARY_NAMES[j % len(BINARY_NAMES)]](L, t, y, a)
        if kind == "reduce":
            return _reduce(L, t, REDUCE[j % len(REDUCE)], a, b)
        if kind == "matmul":
            return _matmul(ctx, L, t, MATMUL[j % len(MATMUL)], c, a, b)
        if kind == "view":
            return apply_view(L, t, j, a, b, c)
        if kind == "shape":
            return _shape_op(ctx, L, t, SHAPE[j % len(SHAPE)], a, b)
        if kind == "index":
            return _index(ctx, L, t, INDEX[j % len(INDEX)], a, b, c)
        if kind == "inplace":
            return apply_inplace(L, ctx, t, j, a % 5, b)
        if kind == "inplace2":
            return _extra_inplace(ctx, L, t, EXTRA_INPLACE[j % len(EXTRA_INPLACE)], a, b)
        if kind == "setitem":
            return apply_setitem(L, ctx, t, j, a, b)
        if kind == "detach":
            return _detach(ctx, L, t, a, b)
        if kind == "hook":
            return _hook(ctx, L, t, a, b)
        if kind == "backward":
            return _backward(ctx, L, t, a, b, c)
        if kind == "grad":
            return _grad(ctx, L, t, a, b, c)
        if kind == "zero_grad":
            return _zero_grad(ctx, L, t, a, b)
    raise AssertionError(kind)


def run(program, lib) -> list:
    """Run a program against `lib`; return its log of observations."""
    ctx = Ctx(lib)
    log = ctx.log
    for n, step in enumerate(program):
        label = f"{n}:{step[0]}"
        ctx.touched = []
        src = ctx.pick(step[1]) if ctx.pool and step[0] != "new" else None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = run_step(ctx, step)
        except Skip:
            log.append((label, "skip"))
            continue
        except Exception as e:  # noqa: BLE001 - the error is the observation
            log.append((label, _error(e)))
            return log  # an exception ends the program
        for w in caught:
            text = _ADDRESS.sub("0x?", str(w.message).split(_TRIGGERED)[0])
            if not text.startswith(ONCE_PER_PROCESS):
                log.append((label + ":warning", (w.category.__name__, text)))
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        ctx.track_precision(step[0], outs)
        if step[0] == "grad" or (step[0] not in ("new", "backward", "hook")
                                 and id(src) in ctx.gradlike):
            # computed gradients, and views of them, share the engine's version counter
            ctx.gradlike.update(id(o) for o in outs if is_tensor(o))
        def seen(o):
            return describe(o, grad=True, loose=ctx.is_lowp(o) or (id(o) in ctx.gradlike and ctx.lowp_graph),
                            grad_loose=ctx.lowp_graph)
        if step[0] == "grad":  # computed gradients: as .grad above
            log.append((label, tuple(_no_version(describe(o, loose=ctx.lowp_graph)) if is_tensor(o)
                                     else describe(o) for o in outs)))
        else:
            log.append((label, tuple(_no_version(seen(o)) if id(o) in ctx.gradlike else seen(o)
                                     for o in outs)))
        for o in outs:  # (computed gradients may alias each other: engine-dependent)
            ctx.add(o, always=step[0] == "grad")
        try:
            state = tuple(_no_version(seen(p)) if id(p) in ctx.gradlike else seen(p) for p in ctx.pool)
        except Exception as e:  # noqa: BLE001 - e.g. reading a leaf's .grad raised
            log.append((label + ":state", _error(e)))
            return log
        log.append((label + ":state", state))
    return log


@dataclass
class Divergence:
    index: int  # position in the log
    label: str
    torch: object
    numtorch: object
    fork: bool = False  # a rounding fork (NOTE [Rounding forks]): compared up to here, tolerated

    def summary(self) -> str:
        return f"{self.label}:\n  torch:    {self.torch!r}\n  numtorch: {self.numtorch!r}"

    def signature(self) -> str:
        """What kind of divergence this is (for grouping and for keeping it while shrinking)."""
        def kind(v):
            if isinstance(v, tuple) and v and v[0] == "raise":
                return f"raise:{v[1]}"
            return "value"
        label = re.sub(r"(^|/ )\d+:", r"\1", self.label)
        return f"{label}|{kind(self.torch)}|{kind(self.numtorch)}"


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def _values_pairs(a, b):
    """The Values observed at the same places of two observations of the same structure."""
    if isinstance(a, Values) and isinstance(b, Values):
        yield a, b
    elif isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        for x, y in zip(a, b):
            yield from _values_pairs(x, y)


def _bits_differ(x: Values, y: Values) -> bool:
    return x.array.dtype.kind == "f" and x == y and not np.array_equal(x.array, y.array, equal_nan=True)


# ops whose result jumps with its input or keeps its input's absolute error at a smaller
# magnitude (x % 2 of x = 548.3161 carries x's last bit, 6e-5, into a result of 0.3)
DISCONTINUOUS = frozenset({"floor", "ceil", "round", "trunc", "frac", "sign", "sgn", "remainder",
                           "fmod", "floordiv", "div_floor", "div_trunc"})


def _discrete_only(want, have, floats: bool = False) -> bool:
    """The observations differ only in integer or bool values (argmax, a comparison, sort's
    indices), or in any values when `floats` (a DISCONTINUOUS op), with the same structure
    otherwise."""
    pairs = list(_values_pairs(want, have))
    differing = [(x, y) for x, y in pairs if not x == y]
    return bool(differing) and all((floats or x.array.dtype.kind in "biu") and x.dtype == y.dtype
                                   and x.array.shape == y.array.shape for x, y in differing) \
        and _equal(_without_values(want), _without_values(have))


def _step_op(program, label: str):
    """The unary/binary op name of the step a log label belongs to ("5:binary" -> "remainder")."""
    k, _, kind = label.partition(":")
    if program is None or not k.isdigit() or int(k) >= len(program):
        return None
    step = program[int(k)]
    table = {"unary": UNARY_NAMES, "binary": BINARY_NAMES}.get(step[0])
    return None if table is None else table[step[2] % len(table)]


def _without_values(v):
    if isinstance(v, Values):
        return None
    return tuple(_without_values(x) for x in v) if isinstance(v, tuple) else v


def rounding_fork(expected: list, got: list, n: int, program=None) -> bool:
    """NOTE [Rounding forks]: float results equal within their tolerance can still differ in
    their last bit (vectorised and scalar transcendental kernels round differently), and a
    discrete function of them (argmax on a tie, a comparison at the boundary) then picks
    differently. A divergence at step n counts as such a fork, not as a difference in
    behaviour, when it lies only in integer or bool values and an earlier observation already
    held float values that were equal within tolerance but not bitwise. The same holds for the
    float results of DISCONTINUOUS ops."""
    floats = _step_op(program, expected[n][0]) in DISCONTINUOUS
    if not _discrete_only(expected[n][1], got[n][1], floats):
        return False
    return any(_bits_differ(x, y) for (_, a), (_, b) in zip(expected[:n], got[:n])
               for x, y in _values_pairs(a, b))


def diff_logs(expected: list, got: list, program=None):
    for n, ((lt, want), (ln, have)) in enumerate(zip(expected, got)):
        if lt != ln or not _equal(want, have):
            d = Divergence(n, lt if lt == ln else f"{lt} / {ln}", want, have)
            d.fork = lt == ln and rounding_fork(expected, got, n, program)
            return d
    if len(expected) != len(got):
        n = min(len(expected), len(got))
        e = expected[n] if n < len(expected) else ("<end>", None)
        g = got[n] if n < len(got) else ("<end>", None)
        return Divergence(n, f"{e[0]} / {g[0]}", e[1], g[1])
    return None


def compare(program):
    """Run a program in torch and numtorch; return the first Divergence or None. An exception
    escaping the interpreter itself (a bug in this file) propagates."""
    return diff_logs(run(program, torch), run(program, numtorch), program)


def features(program, log=None) -> set:
    """Which features a program exercises (for the campaign's counts)."""
    f = set()
    for s in program:
        k = s[0]
        if k == "view":
            f.add("views")
        elif k in ("inplace", "inplace2", "setitem"):
            f.add("in-place")
        elif k == "detach":
            f.add(("detach", "detach_", ".data", "clone", ".data=", "requires_grad_", "requires_grad=",
                   "retain_grad", "detach")[s[3] % 9])
        elif k == "hook":
            f.add("hooks")
        elif k == "backward":
            f.add("backward")
            if (s[4] // 2) % 2:
                f.add("create_graph")
            if s[4] % 2:
                f.add("retain_graph")
        elif k == "grad":
            f.add("autograd.grad")
            if (s[4] // 2) % 2:
                f.add("create_graph")
        else:
            f.add(k)
        m = (s[6] if k == "new" else s[6]) % 8
        if m == 5:
            f.add("no_grad")
        elif m == 6:
            f.add("enable_grad")
        elif m == 7:
            f.add("inference_mode" if INFERENCE_MODE else "set_grad_enabled(False)")
        if k == "new":
            f.add("dtype:" + NEW_DTYPES[s[1] % len(NEW_DTYPES)])
    if log is not None and any(isinstance(v, tuple) and v and v[0] == "raise" for _, v in log[-1:]):
        f.add("errors")
    return f


# ==== generation ==================================================================================
_KIND_LIST = tuple(k for k, w in WEIGHTS.items() for _ in range(w))


def generate(randint, max_steps: int = 10) -> list:
    """A program from `randint(lo, hi)` (inclusive): Hypothesis's draw or random.Random."""
    steps = []
    n = randint(1, max_steps)
    for s in range(n):
        kind = "new" if s == 0 else _KIND_LIST[randint(0, len(_KIND_LIST) - 1)]
        m = randint(0, 7)
        if kind == "new":
            ndim = randint(0, 3)
            shape = [randint(0, 3) for _ in range(ndim)]
            if ndim and randint(0, 15) == 15:
                shape[randint(0, ndim - 1)] = -1  # an empty dimension
            steps.append(["new", randint(0, 6), randint(0, 2), randint(0, 7), randint(0, 99),
                          randint(0, 31), m, shape])
        else:
            steps.append([kind, randint(0, 3), randint(0, 63), randint(0, 31), randint(0, 31),
                          randint(0, 31), m])
    return steps


def hypothesis_programs(max_steps: int = 10):
    from hypothesis import strategies as st

    @st.composite
    def programs(draw):
        return generate(lambda lo, hi: draw(st.integers(lo, hi)), max_steps)
    return programs()


# ==== shrinking ===================================================================================
def _variants(program):
    """Smaller programs: fewer steps first, then smaller fields."""
    for k in range(len(program) - 1, -1, -1):  # drop steps, newest first
        yield program[:k] + program[k + 1:]
    for k, step in enumerate(program):
        for f, v in enumerate(step):
            if isinstance(v, int) and v > 0 and f > 0:
                for smaller in sorted({0, v // 2, v - 1}):
                    if smaller < v:
                        yield program[:k] + [step[:f] + [smaller] + step[f + 1:]] + program[k + 1:]
            elif isinstance(v, list) and v:
                for e in range(len(v)):
                    yield program[:k] + [step[:f] + [v[:e] + v[e + 1:]] + step[f + 1:]] + program[k + 1:]


def shrink(program, keep=None, budget: int = 400):
    """Greedy minimisation: the smallest program whose divergence has the same signature."""
    from .known_gaps import program_gap
    first = compare(program)
    if first is None:
        return program, None
    sig = first.signature()
    keep = keep or (lambda d: d is not None and d.signature() == sig and not d.fork and not program_gap(d))
    best, best_div = program, first
    tries = 0
    improved = True
    while improved and tries < budget:
        improved = False
        for cand in _variants(best):
            tries += 1
            if tries > budget:
                break
            try:
                d = compare(cand)
            except Exception:  # noqa: BLE001 - the interpreter itself failed on this variant
                continue
            if keep(d):
                best, best_div, improved = cand, d, True
                break
    return best, best_div


def dumps(program) -> str:
    return json.dumps(program)
