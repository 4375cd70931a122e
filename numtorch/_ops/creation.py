"""Factories: tensor, as_tensor, from_numpy, zeros/ones/full/empty (+ _like), arange, linspace,
logspace, eye. `requires_grad=True` is honoured in any grad mode; integer dtypes refuse it (E19)."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._core.device import check_device
from .._tensor import Tensor

_make = Tensor._make


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and data.dtype.kind not in "fc":
        raise RuntimeError(messages.FACTORY_INT_GRAD)
    return _make(data, bool(requires_grad))


def _infer_dtype(obj) -> dt.dtype:
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x._dtype)
        elif isinstance(x, np.ndarray):
            kinds.add(dt.from_numpy(x.dtype))
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(x, (int, np.integer)):
            kinds.add("int")
        elif isinstance(x, (float, np.floating)):
            kinds.add("float")
        elif isinstance(x, complex):
            kinds.add("complex")
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    walk(obj)
    if "complex" in kinds:
        return dt.default_complex()
    tensor_dtypes = [k for k in kinds if isinstance(k, dt.dtype)]
    if "float" in kinds:
        best = dt.get_default_dtype()
        for d in tensor_dtypes:
            if d.category > 2:
                return d
        return best if not any(d.category == 2 for d in tensor_dtypes) else \
            max((d for d in tensor_dtypes if d.category == 2), key=lambda d: d.itemsize)
    if tensor_dtypes:
        out = tensor_dtypes[0]
        for d in tensor_dtypes[1:]:
            out = dt.promote_types(out, d)
        if "int" in kinds and out.category == 0:
            return dt.int64
        return out
    if "int" in kinds:
        return dt.int64
    if "bool" in kinds:
        return dt.bool_
    return dt.get_default_dtype()


def _to_numpy(obj):
    if isinstance(obj, Tensor):
        return obj._data
    if isinstance(obj, (list, tuple)):
        if any(isinstance(x, Tensor) for x in obj):
            return np.array([_to_numpy(x) for x in obj])
        return obj
    return obj


def _check_ragged(obj, depth=0):
    if isinstance(obj, (list, tuple)) and obj:
        lens = {len(x) if isinstance(x, (list, tuple)) else -1 for x in obj}
        if len(lens) > 1:
            first = obj[0]
            n = len(first) if isinstance(first, (list, tuple)) else None
            bad = next(x for x in obj if (len(x) if isinstance(x, (list, tuple)) else -1) != (n if n is not None else -1))
            raise ValueError(f"expected sequence of length {n} at dim {depth + 1} (got "
                             f"{len(bad) if isinstance(bad, (list, tuple)) else 0})")
        for x in obj:
            _check_ragged(x, depth + 1)


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
                      "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
    if isinstance(data, np.ndarray):
        d = dtype or dt.from_numpy(data.dtype)
    else:
        _check_ragged(data)
        d = dtype or _infer_dtype(data)
    arr = np.array(_to_numpy(data), dtype=d.np, copy=True)
    return _finish(arr, requires_grad)


def as_tensor(data, dtype=None, device=None):
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data._dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        d = dtype or dt.from_numpy(data.dtype)
        return _make(data if data.dtype == d.np else data.astype(d.np))
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dt.from_numpy(array.dtype)
    return _make(array)


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"zeros(): argument 'size' (position 1) must be tuple of ints, but found "
                            f"element of type {type(s).__name__} at pos 0")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        out.append(int(s))
    return tuple(out)


def _factory(fill):
    def factory(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
                pin_memory=False, memory_format=None):
        check_device(device)
        d = dtype or dt.get_default_dtype()
        return _finish(fill(_shape(size), d.np), requires_grad)
    return factory


zeros = _factory(lambda s, d: np.zeros(s, d))
ones = _factory(lambda s, d: np.ones(s, d))
empty = _factory(lambda s, d: np.zeros(s, d))


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    if dtype is None:
        dtype = dt.scalar_dtype(fill_value) if not isinstance(fill_value, Tensor) else fill_value._dtype
    return _finish(np.full(_shape((size,)), fill_value, dtype=dtype.np), requires_grad)


def _like(fill):
    def like(input, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
        check_device(device)
        d = dtype or input._dtype
        return _finish(fill(input._data.shape, d.np), requires_grad)
    return like


zeros_like = _like(lambda s, d: np.zeros(s, d))
ones_like = _like(lambda s, d: np.ones(s, d))
empty_like = _like(lambda s, d: np.zeros(s, d))


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    d = dtype or input._dtype
    return _finish(np.full(input._data.shape, fill_value, dtype=d.np), requires_grad)


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    check_device(device)
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = dt.get_default_dtype() if is_float else dt.int64
    n = max(math.ceil((end - start) / step), 0)
    if dtype.category <= 1:
        data = (start + np.arange(n, dtype=np.float64) * step).astype(dtype.np) if any(
            isinstance(v, float) for v in (start, end, step)) else np.arange(start, start + n * step, step,
                                                                             dtype=np.int64).astype(dtype.np)
    else:
        data = (start + np.arange(n, dtype=np.float64) * step).astype(dtype.np)
    return _finish(data, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    start, end = _num(start), _num(end)
    d = dtype or dt.get_default_dtype()
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    # ATen fills the first half from start and the second half from end (symmetric rounding)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    vals = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    if d.category <= 1:
        vals = np.trunc(vals) if d.category == 1 else vals
    if d.category >= 2 and d is not dt.float64:
        s32 = np.float32(step) if d is dt.float32 else step
        vals = np.where(i < half, np.float32(start) + s32 * i.astype(np.float32),
                        np.float32(end) - s32 * (steps - 1 - i).astype(np.float32)) if d is dt.float32 else vals
    return _finish(np.asarray(vals).astype(d.np), requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    d = dtype or dt.get_default_dtype()
    exps = linspace(start, end, steps, dtype=dt.float64)._data
    return _finish(np.power(base, exps).astype(d.np), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    check_device(device)
    d = dtype or dt.get_default_dtype()
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

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return tensor(data, dtype=dtype or self._dtype, requires_grad=requires_grad)

    return dict(new_zeros=new_zeros, new_ones=new_ones, new_empty=new_empty, new_full=new_full,
                new_tensor=new_tensor)
