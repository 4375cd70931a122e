"""Factories: tensor, as_tensor, from_numpy, zeros/ones/full/empty (+ _like), arange, linspace,
logspace, eye. `requires_grad=True` is honoured in any grad mode; integer dtypes refuse it (E19)."""
from __future__ import annotations

import math
import os
import warnings

import numpy as np

from .._autograd import write_guard as _wg
from .._core import dtypes as dt
from .._core import messages
from .._core.device import check_device
from .._tensor import Tensor

_make = Tensor._make


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and data.dtype.kind not in "fc":
        raise RuntimeError(messages.FACTORY_INT_GRAD)
    return _make(data, bool(requires_grad))


def _scalar_type(obj) -> dt.dtype:
    """torch's infer_scalar_type: a sequence's type is promote_types over its elements, with
    Python floats/complex at the default dtype and NumPy scalars/arrays and tensors at theirs."""
    if isinstance(obj, (np.ndarray, np.generic)):  # before float: np.float64 subclasses float
        return dt.from_numpy(obj.dtype)
    if isinstance(obj, bool):
        return dt.bool_
    if isinstance(obj, int):
        return dt.int64
    if isinstance(obj, float):
        return dt.get_default_dtype()
    if isinstance(obj, complex):
        return dt.default_complex()
    if isinstance(obj, Tensor):
        return obj._dtype
    if isinstance(obj, str):
        raise TypeError(messages.NEW_INVALID_DATA_TYPE.format(type=type(obj).__name__))
    if isinstance(obj, (list, tuple)):
        if not obj:
            return dt.get_default_dtype()
        out = None
        for x in obj:
            d = _scalar_type(x)
            out = d if out is None else dt.promote_types(out, d)
            if out is dt.complex128:
                break
        return out
    raise RuntimeError(messages.INFER_DTYPE.format(type=type(obj).__name__))


def _infer_dtype(obj) -> dt.dtype:
    return _scalar_type(obj)


def _check_sizes(obj) -> None:
    """torch's compute_sizes walks the first elements; a string there has 'too many dimensions'."""
    x = obj
    while isinstance(x, (list, tuple, str)):
        if isinstance(x, str):
            raise ValueError(messages.TOO_MANY_DIMENSIONS.format(type=type(x).__name__))
        if not x:
            break
        x = x[0]


def _to_numpy(obj):
    if isinstance(obj, Tensor):
        return obj._data
    if isinstance(obj, (list, tuple)):
        if any(isinstance(x, (Tensor, list, tuple)) for x in obj):
            return [_to_numpy(x) for x in obj]
        return obj
    return obj


def _check_ragged(obj, depth=0):
    if isinstance(obj, (list, tuple)) and obj:
        lens = {len(x) if isinstance(x, (list, tuple)) else -1 for x in obj}
        if len(lens) > 1:
            first = obj[0]
            n = len(first) if isinstance(first, (list, tuple)) else None
            want = n if n is not None else -1
            bad = next(x for x in obj if (len(x) if isinstance(x, (list, tuple)) else -1) != want)
            raise ValueError(messages.RAGGED_SEQUENCE.format(
                length=n, dim=depth + 1, got=len(bad) if isinstance(bad, (list, tuple)) else 0))
        for x in obj:
            _check_ragged(x, depth + 1)


_WARNED_LIST_OF_ARRAYS: list = []


_STORABLE = object()


def _unstorable(obj):
    """The first element of a (nested) sequence that is no number, tensor or array (_STORABLE
    when there is none)."""
    if isinstance(obj, (list, tuple)):
        for x in obj:
            bad = _unstorable(x)
            if bad is not _STORABLE:
                return bad
        return _STORABLE
    if isinstance(obj, (bool, int, float, complex, np.generic, np.ndarray, Tensor)):
        return _STORABLE
    return obj


def _store_error(bad, d: dt.dtype) -> TypeError:
    """torch stores each element at the requested dtype without inferring one: a non-number fails
    Python's float or index conversion."""
    name = type(bad).__name__
    if d.category <= 1:  # bool and integer dtypes
        return TypeError(messages.STORE_INTEGER.format(type=name))
    return TypeError(messages.STORE_REAL_NUMBER.format(type=name))


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn(messages.W_TENSOR_FROM_TENSOR, UserWarning, stacklevel=2)
    if isinstance(data, str):
        raise TypeError(messages.NEW_INVALID_DATA_TYPE.format(type=type(data).__name__))
    if isinstance(data, np.ndarray):
        d = dtype or dt.from_numpy(data.dtype)
    else:
        if isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray) \
                and not _WARNED_LIST_OF_ARRAYS:
            _WARNED_LIST_OF_ARRAYS.append(True)  # TORCH_WARN_ONCE
            warnings.warn(messages.LIST_OF_ARRAYS, UserWarning, stacklevel=2)
        _check_sizes(data)
        try:
            inferred = _infer_dtype(data)
        except RuntimeError:
            bad = _unstorable(data) if dtype is not None else _STORABLE
            if bad is _STORABLE:
                raise
            raise _store_error(bad, dtype) from None
        _check_ragged(data)
        d = dtype or inferred
    arr = np.array(_to_numpy(data), dtype=d.np, copy=True)
    return _finish(arr, requires_grad)


def as_tensor(data, *, dtype=None, device=None):
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data._dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        d = dtype or dt.from_numpy(data.dtype)
        if data.dtype == d.np:
            return from_numpy(data)
        return _make(data.astype(d.np))
    return tensor(data, dtype=dtype)


class _ArrayMemory:
    """Owns nothing but exposes an array's memory, so a tensor made over it has its storage start
    at the array's first element (torch.from_numpy: storage_offset() == 0, strides kept)."""

    def __init__(self, array: np.ndarray) -> None:
        interface = dict(array.__array_interface__)
        # torch ignores the read-only flag (after a warning): writes go to the array's memory
        interface["data"] = (interface["data"][0], False)
        self.__array_interface__ = interface
        self._array = array  # keeps the memory alive


_WARNED_NOT_WRITABLE: list = []


def from_numpy(array: np.ndarray) -> Tensor:
    if not isinstance(array, np.ndarray):
        raise TypeError(messages.FROM_NUMPY_TYPE.format(type=type(array).__name__))
    dt.from_numpy(array.dtype)
    if any(st < 0 for st in array.strides):
        raise ValueError(messages.NEGATIVE_STRIDES)
    if not array.flags.writeable and not _WARNED_NOT_WRITABLE \
            and not (_wg.TRACKED and _wg.locked_by_guard(array)):  # a write-guard lock is not the user's
        _WARNED_NOT_WRITABLE.append(True)  # "suppressed for the rest of this program"
        from .pointwise import _warn_at_user
        _warn_at_user(messages.NOT_WRITABLE)
    if array.size == 0 and array.flags.writeable:
        return _make(array)
    t = _make(np.asarray(_ArrayMemory(array)))  # _ArrayMemory keeps `array`: the write guard finds it
    if _wg.ACTIVE:  # numtorch's write guard (issue 7): remember where the array was handed over
        _wg.note_source(t, array)
    return t


def _shape(size, name="zeros"):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for i, s in enumerate(size):
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            if len(size) == 1:
                raise TypeError(messages.SIZE_TYPE.format(fn=name, position=" (position 1)",
                                                          type=type(s).__name__))
            raise TypeError(messages.SIZE_UNPACK.format(fn=name, pos=i + 1, type=type(s).__name__))
        out.append(int(s))
    for s in out:
        if s < 0:
            if name == "zeros":
                raise RuntimeError(messages.ZEROS_NEGATIVE)
            raise RuntimeError(messages.NEGATIVE_DIM.format(dim=s, size=out))
    return tuple(out)


def _factory(name, fill):
    def factory(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
                pin_memory=False, memory_format=None):
        check_device(device)
        d = dtype or dt.get_default_dtype()
        return _finish(fill(_shape(size, name), d.np), requires_grad)
    factory.__name__ = name
    return factory


zeros = _factory("zeros", lambda s, d: np.zeros(s, d))
ones = _factory("ones", lambda s, d: np.ones(s, d))
empty = _factory("empty", lambda s, d: np.zeros(s, d))


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    if dtype is None:
        dtype = dt.scalar_dtype(fill_value) if not isinstance(fill_value, Tensor) else fill_value._dtype
    if dtype.category >= 2 and not isinstance(fill_value, Tensor):
        _check_convertible(fill_value, dtype)
    return _finish(np.full(_shape((size,), "full"), fill_value, dtype=dtype.np), requires_grad)


def _preserved(a: np.ndarray, np_dtype, value, memory_format) -> np.ndarray | None:
    """empty_like's preserve_format: a strided input that is not C-contiguous (a transposed
    tensor) gives dense strides in its own stride order; None: a C-order array will do."""
    if memory_format is not None and str(memory_format) == "torch.contiguous_format":
        return None
    if a.flags.c_contiguous and 1 not in a.shape:
        return None  # C order: the caller's plain fill will do
    from .random_ops import _empty_like
    out = _empty_like(a, np_dtype)
    out[...] = value
    return out


def _like(fill, value):
    def like(input, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
        check_device(device)
        d = dtype or input._dtype
        out = _preserved(input._data, d.np, value, memory_format)
        return _finish(fill(input._data.shape, d.np) if out is None else out, requires_grad)
    return like


zeros_like = _like(lambda s, d: np.zeros(s, d), 0)
ones_like = _like(lambda s, d: np.ones(s, d), 1)
empty_like = _like(lambda s, d: np.zeros(s, d), 0)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    d = dtype or input._dtype
    out = _preserved(input._data, d.np, fill_value, memory_format)
    return _finish(np.full(input._data.shape, fill_value, dtype=d.np) if out is None else out,
                   requires_grad)


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


# ---- NOTE [Exact arange/linspace]
# ATen's CPU kernels are reproduced operation for operation, so values are bitwise PyTorch's:
# * arange accumulates in acc_type (double for float/double, float for half, int64 for integers):
#   element i is start + step * i, an FMA in acc_type, rounded to the dtype; contiguous outputs are
#   filled in vectorized blocks of 2 * V elements (V = 8 floats / 4 doubles / 16 halves under AVX2),
#   each block of V being base + k * step (FMA) from base = start + step * idx, the rest scalar.
# * linspace computes in the dtype itself (double for integers): start + step * i for i < steps / 2,
#   end - step * (steps - i - 1) after, each an FMA rounded once.
# FMAs are emulated exactly with error-free transformations and rounding to odd (Boldo-Melquiond).
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    p = a * b

    def split(x):
        c = 134217729.0 * x
        hi = c - (c - x)
        return hi, x - hi
    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(s, e):
    fix = (e != 0) & ((s.view(np.int64) & 1) == 0)
    return np.where(fix, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)


def _fma(a, b, c, dtype=np.float64):
    """a * b + c with one rounding to `dtype` (float64, float32 or float16), elementwise."""
    a, b, c = (np.asarray(x, dtype=np.float64) for x in (a, b, c))
    a, b, c = np.broadcast_arrays(a, b, c)
    with np.errstate(all="ignore"):
        naive = a * b + c  # exact zeros (and their signs) and non-finite values come out right
        if dtype != np.float64:  # a * b is exact in double for float/half operands
            s, e = _two_sum(a * b, c)
            out = _round_to_odd(s, e)
        else:
            uh, ul = _two_prod(a, b)
            th, tl = _two_sum(c, uh)
            vs, ve = _two_sum(tl, ul)
            out = th + _round_to_odd(vs, ve)
        out = np.where(np.isfinite(out) & (out != 0), out, naive)
        return out.astype(dtype)


_VEC = {np.dtype(np.float32): 8, np.dtype(np.float64): 4, np.dtype(np.float16): 16}


def _c_repr(x) -> str:
    """A number as C++ ostream prints it (%g, 6 significant digits)."""
    if isinstance(x, (bool, np.bool_)):
        return str(int(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return format(float(x), "g")


def _acc_value(x, d: dt.dtype):
    """Scalar.to<acc_type>(): integers truncate toward zero."""
    if d.category <= 1:
        return int(x)
    return float(x) if d is not dt.float16 else float(np.float32(x))


_GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE


def _intraop_threads() -> int:
    # at::get_num_threads() defaults to the CPUs this process may use
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _chunks(n: int):
    """at::parallel_for's split of [0, n) (OpenMP backend): one chunk up to the grain size, else
    min(threads, ceil(n / grain)) equal chunks."""
    threads = _intraop_threads()
    if n <= _GRAIN_SIZE or threads <= 1:
        return [(0, n)]
    tasks = min(threads, -(-n // _GRAIN_SIZE))
    size = -(-n // tasks)
    return [(b, min(b + size, n)) for b in range(0, n, size)]


def _arange_values(start, n, step, d: dt.dtype) -> np.ndarray:
    if d.category <= 1:
        return (start + step * np.arange(n, dtype=np.int64)).astype(d.np)
    with np.errstate(all="ignore"):  # values past the dtype's range become inf, as in torch
        return _arange_float(start, n, step, d)


def _arange_float(start, n, step, d: dt.dtype) -> np.ndarray:
    acc = np.float32 if d is dt.float16 else np.float64
    out = np.empty(n, d.np)
    V = _VEC[d.np]
    for begin, end in _chunks(n):
        vec_end = begin + (end - begin) // (2 * V) * (2 * V)
        if vec_end > begin:
            blocks = np.arange(begin, vec_end, V, dtype=np.float64)
            base = _fma(step, blocks, start, acc).astype(d.np).astype(np.float64)
            k = np.arange(V, dtype=np.float64)
            lanes = _fma(k[None, :], step, base[:, None], acc)
            lanes[:, 0] = base  # lane 0 is the block's base itself (0 * step + -0.0 would be +0.0)
            out[begin:vec_end] = lanes.reshape(-1).astype(d.np)
        idx = np.arange(vec_end, end, dtype=np.float64)
        out[vec_end:end] = _fma(step, idx, start, acc).astype(d.np)
    return out


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    check_device(device)
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = dt.get_default_dtype() if is_float else dt.int64
    if dtype is dt.bool_ or dtype.is_complex:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="arange_cpu",
                                                                        dtype=dtype.short_name))
    dstart, dend, dstep = float(start), float(end), float(step)
    if dstep == 0:
        raise RuntimeError(messages.STEP_NONZERO)
    if not (math.isfinite(dstart) and math.isfinite(dend)):
        raise RuntimeError(messages.UNSUPPORTED_RANGE.format(start=_c_repr(dstart), end=_c_repr(dend)))
    if not ((dstep > 0 and dend >= dstart) or (dstep < 0 and dend <= dstart)):
        raise RuntimeError(messages.RANGE_STEP_SIGN)
    xstart, xend, xstep = (_acc_value(v, dtype) for v in (start, end, step))
    if dtype is dt.int64:
        if xstep == 0:
            raise ValueError(messages.STEP_NONZERO)
        sgn = (xstep > 0) - (xstep < 0)
        num = xend - xstart + xstep - sgn
        n = abs(num) // abs(xstep) * (1 if (num >= 0) == (xstep > 0) else -1)  # C division
    else:
        n = math.ceil((dend - dstart) / dstep)
    return _finish(_arange_values(xstart, max(int(n), 0), xstep, dtype), requires_grad)


_CONVERT_NAMES = {"float16": "c10::Half", "float32": "float", "int32": "int", "int64": "int64_t",
                  "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def _check_convertible(value, d: dt.dtype) -> None:
    """c10::Scalar::to<T>(): finite values out of T's range are refused."""
    name = _CONVERT_NAMES.get(d.name)
    if name is None or isinstance(value, complex):
        return
    if d.category <= 1:
        if isinstance(value, float) and not math.isfinite(value):
            return
        info = np.iinfo(d.np)
        bad = not info.min <= value <= info.max if math.isfinite(float(value)) else False
    else:
        bad = math.isfinite(float(value)) and abs(float(value)) > float(np.finfo(d.np).max)
    if bad:
        raise RuntimeError(messages.VALUE_OVERFLOW.format(type=name))


def _linspace_values(start, end, steps: int, d: dt.dtype) -> np.ndarray:
    _check_convertible(start, d)
    _check_convertible(end, d)
    if steps == 0:
        return np.empty(0, d.np)
    if d.is_complex:
        s, e = complex(start), complex(end)
        if steps == 1:
            return np.array([s], d.np)
        step = (e - s) / (steps - 1)
        i = np.arange(steps)
        return np.where(i < steps // 2, s + step * i, e - step * (steps - i - 1)).astype(d.np)
    if d.category <= 1:
        s, e = int(start), int(end)  # Scalar.to<integer>, the step in double
        if steps == 1:
            return np.array([s], d.np)
        step = (float(e) - float(s)) / (steps - 1)
        acc = np.float64
    elif d is dt.float16:
        with np.errstate(all="ignore"):
            s, e = np.float16(start), np.float16(end)
        if steps == 1:
            return np.array([s], d.np)
        with np.errstate(all="ignore"):
            width = np.float32(np.float16(np.float32(e) - np.float32(s)))
            step = np.float16(width / np.float32(np.float16(steps - 1)))
        i = np.arange(steps)
        half = steps // 2
        with np.errstate(all="ignore"):
            lo = (np.float32(s) + (np.float32(step) * np.float16(i).astype(np.float32)).astype(np.float16)
                  .astype(np.float32)).astype(np.float16)
            hi = (np.float32(e) - (np.float32(step) * np.float16(steps - i - 1).astype(np.float32))
                  .astype(np.float16).astype(np.float32)).astype(np.float16)
        return np.where(i < half, lo, hi)
    else:
        T = d.np.type
        with np.errstate(all="ignore"):
            s, e = T(start), T(end)
        if steps == 1:
            return np.array([s], d.np)
        with np.errstate(all="ignore"):
            step = (e - s) / T(steps - 1)
        acc = d.np
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    lo = _fma(step, i, s, acc)
    hi = _fma(-step, steps - i - 1, e, acc)
    out = np.where(i < half, lo, hi)
    if d.category <= 1:
        with np.errstate(invalid="ignore"):
            out = np.trunc(out)
    return out.astype(d.np)


def _steps_arg(name, start, end, steps):
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        kinds = ", ".join(type(v).__name__ if not isinstance(v, Tensor) else "Tensor"
                          for v in (start, end, steps))
        sig = ("{start} start, {end} end, int steps, *, Tensor out = None, torch.dtype dtype = None, "
               "torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
               "bool requires_grad = False")
        lines = "".join(f" * ({sig.format(start=a, end=b)})\n" for a, b in (
            ("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"), ("Number", "Number")))
        raise TypeError(messages.INVALID_ARGS_ONE_OF.format(fn=name, got=kinds, options=lines))
    if steps < 0:
        raise RuntimeError(messages.STEPS_NEGATIVE)
    return int(steps)


def _range_dtype(start, end, dtype):
    if dtype is not None:
        return dtype
    if isinstance(start, complex) or isinstance(end, complex):
        return dt.default_complex()
    return dt.get_default_dtype()


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    steps = _steps_arg("linspace", start, end, steps)
    start, end = _num(start), _num(end)
    d = _range_dtype(start, end, dtype)
    return _finish(_linspace_values(start, end, steps, d), requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    check_device(device)
    steps = _steps_arg("logspace", start, end, steps)
    start, end = _num(start), _num(end)
    d = _range_dtype(start, end, dtype)
    # the exponents as linspace computes them, then std::pow(double base, exponent)
    exps = _linspace_values(start, end, steps, d if d.category >= 2 else dt.float64)
    if d.category <= 1 and steps:
        s, e = int(start), int(end)
        exps = _linspace_values(s, e, steps, dt.float64) if steps > 1 else np.array([float(s)])
    with np.errstate(all="ignore"):
        vals = np.power(np.float64(base) if not d.is_complex else complex(base),
                        exps.astype(np.complex128 if d.is_complex else np.float64))
    if d.category <= 1:
        vals = np.trunc(vals)
    return _finish(vals.astype(d.np), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    d = dtype or dt.get_default_dtype()
    if n < 0:
        raise RuntimeError(messages.EYE_NEGATIVE.format(name="n", value=n))
    if m is not None and m < 0:
        raise RuntimeError(messages.EYE_NEGATIVE.format(name="m", value=m))
    return _finish(np.eye(n, n if m is None else m, dtype=d.np), requires_grad)


def legacy_constructor(self, *args, **kwargs):
    """torch.Tensor(...): sizes give an uninitialised float tensor, a sequence gives its values."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
        data = np.array(args[0], dtype=dt.get_default_dtype().np)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        data = args[0]._data
    else:
        data = np.zeros(_shape(args), dt.get_default_dtype().np)
    src = _make(data)
    for name in Tensor.__slots__[:-2]:
        object.__setattr__(self, name, getattr(src, name))


def new_tensor_methods():
    """Tensor.new_* methods: same dtype as self unless given."""
    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return zeros(*size, dtype=dtype or self._dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return ones(*size, dtype=dtype or self._dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return empty(*size, dtype=dtype or self._dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return full(size, fill_value, dtype=dtype or self._dtype, requires_grad=requires_grad)

    def new_tensor(self, data, *args, dtype=None, device=None, requires_grad=False):
        if args:  # torch's options are keyword-only (it counts the arguments without self)
            raise TypeError(messages.ARG_TOO_MANY.format(name="new_tensor", n=1, s="", m=1 + len(args),
                                                         were="were"))
        return tensor(data, dtype=dtype or self._dtype, requires_grad=requires_grad)

    return dict(new_zeros=new_zeros, new_ones=new_ones, new_empty=new_empty, new_full=new_full,
                new_tensor=new_tensor)
