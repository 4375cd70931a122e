"""Ops that rearrange or mask whole tensors: tril/triu, roll, repeat/tile, and the binary math ops
atan2, hypot, lerp, nan_to_num; isclose/allclose (no gradient)."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op

# ATen allocates the result contiguous (np.tril follows a permuted input's layout)
TRIL = Op("tril", lambda a, diagonal: np.ascontiguousarray(np.tril(a, diagonal)),
          node="TrilBackward0", promote=None,
          grads={"self": lambda c, g: tril(g, c.diagonal)})
TRIU = Op("triu", lambda a, diagonal: np.ascontiguousarray(np.triu(a, diagonal)),
          node="TriuBackward0", promote=None,
          grads={"self": lambda c, g: triu(g, c.diagonal)})


def _check_matrix(self, name, inplace=False):
    if self._data.ndim < 2:
        from .._autograd import views as _views  # torch's autograd kernel runs before the check
        _views.check_inplace_first(self) if inplace else _views.touch_grad_fn(self)
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(self, diagonal=0):
    _check_matrix(self, "tril")
    return TRIL(self, diagonal=diagonal)


def triu(self, diagonal=0):
    _check_matrix(self, "triu")
    return TRIU(self, diagonal=diagonal)


def tril_(self, diagonal=0):
    _check_matrix(self, "tril", inplace=True)
    return TRIL.inplace(self, diagonal=diagonal)


def triu_(self, diagonal=0):
    _check_matrix(self, "triu", inplace=True)
    return TRIU.inplace(self, diagonal=diagonal)


ROLL = Op("roll", lambda a, shifts, dims: np.roll(a, shifts, dims), node="RollBackward0", promote=None,
          grads={"self": lambda c, g: ROLL(g, shifts=_negate(c.shifts), dims=c.dims)})


def _negate(shifts):
    return -shifts if isinstance(shifts, int) else tuple(-s for s in shifts)


def roll(self, shifts, dims=None):
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:  # rolls the flattened tensor, recorded as one RollBackward0 as in torch
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return ROLL(self, shifts=shifts[0], dims=None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if self._data.ndim == 0 and dims:  # roll_common: a 0-d tensor has no dimension to roll along
        raise IndexError(messages.DIM_OF_0D.format(dim=dims[0]))
    return ROLL(self, shifts=shifts, dims=tuple(_wrap_dim(d, self._data.ndim) for d in dims))


def _repeat_backward(g, shape, repeats):
    if 0 in repeats:  # FunctionsManual repeat_backward: a constant zeros grad
        from .creation import zeros
        return zeros(shape, dtype=g.dtype)
    lead = len(repeats) - len(shape)
    for _ in range(lead):  # as FunctionsManual: the leading dims summed one by one, then one
        g = g.sum(0)       # reshape + sum over the repeated dims only (the grad itself if none)
    split, dims = [], []
    for r, s in zip(repeats[lead:], shape):
        if r != 1:
            split.append(r)
            dims.append(len(split) - 1)
        split.append(s)
    if dims:
        g = g.reshape(split).sum(tuple(dims))
    return g


def _repeat_kernel(a, repeats):
    t = np.tile(a, repeats)  # tiling by ones copies in the input's layout; ATen's result is C order
    return t if t.flags.c_contiguous else t.copy(order="C")


REPEAT = Op("repeat", _repeat_kernel, node="RepeatBackward0", promote=None,
            grads={"self": lambda c, g: _repeat_backward(g, c.shapes[0], c.repeats)})


def repeat(self, *repeats):
    if len(repeats) == 1 and isinstance(repeats[0], (tuple, list)):
        repeats = tuple(repeats[0])
    if len(repeats) < self._data.ndim:
        raise RuntimeError(messages.REPEAT_DIMS)
    repeats = tuple(int(r) for r in repeats)
    full = (1,) * (len(repeats) - self._data.ndim) + self._data.shape
    target = [s * r for s, r in zip(full, repeats)]
    negative = next((n for n in target if n < 0), None)
    if negative is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: {target}")
    return REPEAT(self, repeats=repeats)


def tile(self, *dims):
    if len(dims) == 1:  # torch.tile(x, dims) and x.tile(dims); x.tile(2, 2) as varargs
        dims = dims[0]
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    dims = (1,) * (self._data.ndim - len(dims)) + dims
    return repeat(self, dims)


def _atan2_recip(a, b):
    """1 / (a^2 + b^2), with 0 where that is infinite: torch's atan2 gradient is 0 at (0, 0)."""
    r = (a * a + b * b).reciprocal()
    return r.masked_fill(r.isinf(), 0)


ATAN2 = Op("atan2", np.arctan2, node="Atan2Backward0", inputs=("self", "other"), promote="float",
           grads={"self": lambda c, g: g * c.other * _atan2_recip(c.self, c.other),
                  "other": lambda c, g: g * -c.self * _atan2_recip(c.self, c.other)})
HYPOT = Op("hypot", np.hypot, node="HypotBackward0", inputs=("self", "other"), promote="float",
           grads={"self": lambda c, g: g * c.self / c.result,
                  "other": lambda c, g: g * c.other / c.result})


def _check_other(fname, other):
    if not isinstance(other, Tensor):  # the python arg parser: no Scalar overload (function form)
        raise TypeError(f"{fname}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")


def _check_hypot(self, other, inplace=False):
    _check_other("hypot", other)
    common = dt.result_type(self, other)
    if common.category < 2:  # hypot computes in the common dtype: there is no integer kernel
        # ... but TensorIterator checks the shapes (and, in place, the result's cast) first
        from .dispatch import _check_broadcast, can_cast
        _check_broadcast([self._data, other._data])
        if inplace:
            from .pointwise_common import inplace_pointwise
            shape = np.broadcast_shapes(self._data.shape, other._data.shape)
            if shape != self._data.shape:  # raises the in-place shape error
                inplace_pointwise(HYPOT, self, other)
            if not can_cast(common, self._dtype):
                raise RuntimeError(messages.CAST_RESULT.format(got=common.short_name,
                                                               expected=self._dtype.short_name))
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="hypot_cpu",
                                                                        dtype=common.short_name))


def atan2(self, other):
    _check_other("atan2", other)
    return ATAN2(self, other)


def hypot(self, other):
    _check_hypot(self, other)
    return HYPOT(self, other)


def atan2_(self, other):
    from .pointwise_common import inplace_pointwise
    _check_other("atan2_", other)
    return inplace_pointwise(ATAN2, self, other)


def hypot_(self, other):
    from .pointwise_common import inplace_pointwise
    _check_hypot(self, other, inplace=True)
    return inplace_pointwise(HYPOT, self, other)


def _mul_scalar(g, weight):
    # lerp.Scalar's formulas multiply grad by a C++ Scalar: mul.Scalar (MulBackward1)
    from .nn_ops import MUL_SCALAR
    return MUL_SCALAR(g, other=weight)


LERP_SCALAR = Op("lerp", lambda a, end, weight: a + np.asarray(weight, a.dtype) * (end - a),
                 node="LerpBackward0", inputs=("self", "end"), promote=None,
                 grads={"self": lambda c, g: _mul_scalar(g, 1 - c.weight),
                        "end": lambda c, g: _mul_scalar(g, c.weight)})
LERP_TENSOR = Op("lerp", lambda a, end, w: a + w * (end - a), node="LerpBackward1",
                 inputs=("self", "end", "weight"), promote=None,
                 grads={"self": lambda c, g: g * (1 - c.weight), "end": lambda c, g: g * c.weight,
                        "weight": lambda c, g: g * (c.end - c.self)})


def _check_lerp(self, end, weight, inplace=False):
    """lerp_Tensor / lerp_Scalar meta checks: end (and a tensor weight) must have self's dtype;
    the kernels are for floating (and complex) types only."""
    for name, other in (("end", end), ("weight", weight)):
        if isinstance(other, Tensor) and self._dtype is not other._dtype:
            raise RuntimeError(f"expected dtype {self._dtype.cpp_name} for `{name}` but got dtype "
                               f"{other._dtype.cpp_name}")
    if self._dtype.category < 2:
        _lerp_shapes(self, end, weight, inplace)  # TensorIterator's build comes before the kernel
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel,
                                                                        dtype=self._dtype.short_name))


class _NoKernel:
    """For inplace_pointwise's shape checks alone (the op raises afterwards)."""
    overlap = LERP_SCALAR.overlap

    @staticmethod
    def inplace(target, *others):  # the in-place kernel's overlap checks, then no kernel
        from .._autograd import views
        views.check_overlap(target, list(others), *LERP_SCALAR.overlap)


def _lerp_shapes(self, end, weight, inplace):
    """lerp's meta builds its TensorIterator (broadcast, and for lerp_ the output shape check)
    after the dtype checks and before the kernel's dtype dispatch: an error path only."""
    others = [t for t in (end, weight) if isinstance(t, Tensor)]
    if inplace:
        from .pointwise_common import inplace_pointwise
        inplace_pointwise(_NoKernel, self, *others)
    else:
        from .dispatch import _check_broadcast
        _check_broadcast([self._data] + [t._data for t in others])


def lerp(self, end, weight):
    _check_lerp(self, end, weight)
    if isinstance(weight, Tensor):
        return LERP_TENSOR(self, end, weight)
    return LERP_SCALAR(self, end, weight=weight)


def lerp_(self, end, weight):
    from .pointwise_common import inplace_pointwise
    _check_lerp(self, end, weight, inplace=True)
    if isinstance(weight, Tensor):
        return inplace_pointwise(LERP_TENSOR, self, end, weight)
    return inplace_pointwise(LERP_SCALAR, self, end, weight=weight)


def _nan_to_num_kernel(a, nan, posinf, neginf):
    if a.dtype.kind not in "fc":
        return a.copy()
    info = np.finfo(a.dtype)
    return np.nan_to_num(a, nan=0.0 if nan is None else nan,
                         posinf=info.max if posinf is None else posinf,
                         neginf=info.min if neginf is None else neginf)


NAN_TO_NUM = Op("nan_to_num", _nan_to_num_kernel, node="NanToNumBackward0", promote=None,
                grads={"self": lambda c, g: g * c.self.isfinite()})


def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
    return NAN_TO_NUM(self, nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
    return NAN_TO_NUM.inplace(self, nan=nan, posinf=posinf, neginf=neginf)


def _isclose_kernel(a, b, rtol, atol, equal_nan):
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


ISCLOSE = Op("isclose", _isclose_kernel, inputs=("self", "other"), nondifferentiable=True)


def _isclose(fname, self, other, rtol, atol, equal_nan):
    if not isinstance(other, Tensor):
        raise TypeError(f"{fname}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if self._dtype is not other._dtype:
        raise RuntimeError(f"{self._dtype.short_name} did not match {other._dtype.short_name}")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not tol >= 0:  # NaN fails too
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {float(tol):g}")
    out = ISCLOSE(self, other, rtol=rtol, atol=atol, equal_nan=equal_nan)
    # ATen builds the result as self == other, then ORs in place: NaN pairs (equal_nan, floating
    # types) and, unless both tolerances are zero, the finite closeness
    bumps = int(bool(equal_nan) and self._dtype.category >= 2) + int(not (rtol == 0 and atol == 0))
    for _ in range(bumps):
        out._bump_version()
    return out


def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _isclose("isclose", self, other, rtol, atol, equal_nan)


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(_isclose("allclose", self, other, rtol, atol, equal_nan).all())


def _repeat_counts(counts, output_size=None):
    """torch.repeat_interleave(repeats): each index i repeated counts[i] times (counts' dtype)."""
    if counts._data.dtype not in (np.int32, np.int64):  # the kernel's dtype dispatch comes first
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel="repeat_interleave_cpu", dtype=counts._dtype.short_name))
    if counts._data.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    c = counts._data
    if c.size and c.min() < 0:
        raise RuntimeError("repeats can not be negative")
    if output_size is not None and output_size != int(c.sum()):
        raise RuntimeError("allocated size does not match required size")
    return Tensor._make(np.repeat(np.arange(c.shape[0], dtype=c.dtype), c))


def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
    """Each element repeated: an int count is unsqueeze + expand + clone + view (torch's graph), a
    tensor of counts is index_select with the repeated indices; with only a counts tensor, the
    repeated indices themselves."""
    from .indexing import index_select
    if repeats is None:
        return _repeat_counts(self, output_size)
    x = self.flatten() if dim is None else self
    d = 0 if dim is None else _wrap_dim(dim, self._data.ndim)
    if isinstance(repeats, Tensor):
        counts = repeats
        if counts._data.ndim == 0 or counts._data.shape == (1,):
            counts = Tensor._make(np.broadcast_to(counts._data.reshape(1), (x.shape[d],)).copy())
        elif counts._data.ndim == 1:
            if counts._data.shape[0] != x.shape[d]:
                raise RuntimeError("repeats must have the same size as input along dim, but got "
                                   f"repeats.size(0) = {counts._data.shape[0]} and input.size({d}) = "
                                   f"{x.shape[d]}")
        else:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        return index_select(x, d, _repeat_counts(counts, output_size))
    r = int(repeats)
    if r < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = list(x.shape)
    expanded = x.unsqueeze(d + 1).expand(*shape[:d + 1], r, *shape[d + 1:])
    shape[d] *= r
    from .pointwise import CLONE
    return CLONE(expanded, order="C").view(shape)  # clone(contiguous_format), as Repeat.cpp


def take_along_dim(self, indices, dim=None):
    if dim is None:
        flat = indices.view(-1)
        if flat._data.size == 0 and flat._dtype.name not in ("int64", "int32"):
            flat = flat.long()  # gather returns before its dtype check on an empty index
        return self.view(-1).gather(0, flat)
    if self._data.ndim != indices._data.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same number of "
                           f"dimensions, but got {self._data.ndim} dimensions for input, and "
                           f"{indices._data.ndim} dimensions for indices")
    if indices._dtype.np != np.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{indices._dtype.short_name}")
    from types import SimpleNamespace
    from .dispatch import _check_broadcast
    d = _wrap_dim(dim, self._data.ndim)  # wrapped first: 0-d allows -1 and 0, named as 0 below
    if self._data.ndim == 0:  # the size along dim is read: a 0-d tensor has none
        raise IndexError(messages.DIM_OF_0D.format(dim=d))
    n = self._data.shape[d]
    if n == 0:
        raise RuntimeError("ZeroDivisionError")
    # torch wraps the indices along dim (Python modulo: -1 is the last, n + 1 the second), into a
    # new index tensor: the caller's indices are not the ones saved for backward
    wrapped = Tensor._make(np.mod(indices._data, n))
    shapes = []
    for other, own in ((indices, self), (self, indices)):
        sizes = list(own.shape)
        sizes[d] = other.shape[d]
        _check_broadcast([SimpleNamespace(shape=tuple(sizes)), SimpleNamespace(shape=tuple(other.shape))])
        shapes.append(list(np.broadcast_shapes(tuple(sizes), tuple(other.shape))))
    # torch expands both operands to the broadcast shape even when nothing changes
    return self.expand(*shapes[1]).gather(d, wrapped.expand(*shapes[0]))


def bincount(self, weights=None, minlength=0):
    """ATen _bincount_cpu: integral inputs only; float32 weights give float32 counts, any other
    weights float64, an empty input int64 zeros of length minlength."""
    from .._autograd import views
    views.touch_grad_fns((self, weights))  # torch's autograd fallback collects edges first
    if self._dtype.category != 1:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="bincount_cpu",
                                                                        dtype=self._dtype.short_name))
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    a = self._data
    if a.ndim == 1 and a.size == 0:
        return Tensor._make(np.zeros(minlength, np.int64))
    if a.ndim != 1 or a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._make(np.bincount(a, minlength=minlength).astype(np.int64))
    w = weights._data
    if w.ndim != 1 or w.shape[0] != a.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dtype = np.float32 if w.dtype == np.float32 else np.float64
    return Tensor._make(np.bincount(a, weights=w.astype(np.float64), minlength=minlength).astype(dtype))


def _unique_kernel(a, dim):
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim)
    inverse = inverse.reshape(a.shape if dim is None else (-1,)).astype(np.int64)
    return values, inverse, counts.astype(np.int64)


def _no_derivative(aten_name):
    def formula(c, g):
        raise NotImplementedError(f"the derivative for '{aten_name}' is not implemented.")
    return formula


# torch records a node on the values (not the inverse or counts) whose backward raises
UNIQUE2 = Op("_unique2", _unique_kernel, node="Unique2Backward0", promote=None, multi_output=True,
             differentiable_outputs=(0,), grads={"self": _no_derivative("_unique2")})
UNIQUE_DIM = Op("unique_dim", _unique_kernel, node="UniqueDimBackward0", promote=None, multi_output=True,
                differentiable_outputs=(0,), grads={"self": _no_derivative("unique_dim")})


def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None, *extra):
    from .arg_parser import check_python_args
    # torch.unique is boolean_dispatch'ed on return_counts, then on return_inverse: their truth is
    # tested (bool(tensor)) before the call binds
    counts, inverse = bool(return_counts), bool(return_inverse)
    if extra:  # named after the function boolean_dispatch picked
        name = {(False, False): "_return_output", (True, False): "_return_inverse",
                (False, True): "_return_counts", (True, True): "_return_inverse_and_counts"}
        name = name[(inverse, counts)]
        raise TypeError(messages.ARG_TOO_MANY.format(name=name, n="from 1 to 5", s="s", m=5 + len(extra),
                                                     were="were"))
    flags = {"sorted": sorted, "return_inverse": return_inverse, "return_counts": return_counts}
    if dim is None:  # torch.unique (Python) calls _unique2 or unique_dim
        check_python_args("_unique2", (("input", "T", True, "p"),)
                          + tuple((k, "B", False, "k") for k in flags), (self,), flags)
    else:
        check_python_args("unique_dim", (("input", "T", True, "p"), ("dim", "I", True, "p"))
                          + tuple((k, "B", False, "k") for k in flags), (self, dim), flags)
    if dim is None:
        values, inverse, counts = UNIQUE2(self, dim=None)
    else:
        values, inverse, counts = UNIQUE_DIM(self, dim=_wrap_dim(dim, self._data.ndim))
    out = [values]
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


def unique_method(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Tensor.unique: torch.unique with its arguments by keyword (no extra positionals)."""
    return unique(self, sorted=sorted, return_inverse=return_inverse, return_counts=return_counts, dim=dim)


unique_method.__name__, unique_method.__qualname__ = "unique", "Tensor.unique"  # (the arity error's name)
