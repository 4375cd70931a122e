"""Ops that rearrange or mask whole tensors: tril/triu, roll, repeat/tile, and the binary math ops
atan2, hypot, lerp, nan_to_num; isclose/allclose (no gradient)."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op, wrap_scalar

TRIL = Op("tril", lambda a, diagonal: np.tril(a, diagonal), node="TrilBackward0", promote=None,
          grads={"self": lambda c, g: tril(g, c.diagonal)})
TRIU = Op("triu", lambda a, diagonal: np.triu(a, diagonal), node="TriuBackward0", promote=None,
          grads={"self": lambda c, g: triu(g, c.diagonal)})


def _check_matrix(self, name):
    if self._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(self, diagonal=0):
    _check_matrix(self, "tril")
    return TRIL(self, diagonal=diagonal)


def triu(self, diagonal=0):
    _check_matrix(self, "triu")
    return TRIU(self, diagonal=diagonal)


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
    return ROLL(self, shifts=shifts, dims=tuple(_wrap_dim(d, self._data.ndim) for d in dims))


def _repeat_backward(g, shape, repeats):
    lead = len(repeats) - len(shape)
    full = (1,) * lead + tuple(shape)
    split = []
    for r, s in zip(repeats, full):
        split += [r, s]
    summed = g.reshape(split).sum(tuple(range(0, 2 * len(full), 2)))
    return summed.reshape(shape)


REPEAT = Op("repeat", lambda a, repeats: np.tile(a, repeats), node="RepeatBackward0", promote=None,
            grads={"self": lambda c, g: _repeat_backward(g, c.shapes[0], c.repeats)})


def repeat(self, *repeats):
    if len(repeats) == 1 and isinstance(repeats[0], (tuple, list)):
        repeats = tuple(repeats[0])
    if len(repeats) < self._data.ndim:
        raise RuntimeError(messages.REPEAT_DIMS)
    return REPEAT(self, repeats=tuple(int(r) for r in repeats))


def tile(self, dims):
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    dims = (1,) * (self._data.ndim - len(dims)) + dims
    return repeat(self, dims)


ATAN2 = Op("atan2", np.arctan2, node="Atan2Backward0", inputs=("self", "other"), promote="float",
           grads={"self": lambda c, g: g * c.other * (c.self * c.self + c.other * c.other).reciprocal(),
                  "other": lambda c, g: g * -c.self * (c.self * c.self + c.other * c.other).reciprocal()})
HYPOT = Op("hypot", np.hypot, node="HypotBackward0", inputs=("self", "other"), promote="float",
           grads={"self": lambda c, g: g * c.self / c.result,
                  "other": lambda c, g: g * c.other / c.result})


def atan2(self, other):
    return ATAN2(self, other)


def hypot(self, other):
    return HYPOT(self, other)


LERP_SCALAR = Op("lerp", lambda a, end, weight: a + np.asarray(weight, a.dtype) * (end - a),
                 node="LerpBackward0", inputs=("self", "end"), promote=None,
                 grads={"self": lambda c, g: g * (1 - c.weight), "end": lambda c, g: g * c.weight})
LERP_TENSOR = Op("lerp", lambda a, end, w: a + w * (end - a), node="LerpBackward1",
                 inputs=("self", "end", "weight"), promote=None,
                 grads={"self": lambda c, g: g * (1 - c.weight), "end": lambda c, g: g * c.weight,
                        "weight": lambda c, g: g * (c.end - c.self)})


def lerp(self, end, weight):
    if self._dtype is not end._dtype:
        raise RuntimeError(f"expected dtype {self._dtype.cpp_name} for `end` but got dtype "
                           f"{end._dtype.cpp_name}")
    if isinstance(weight, Tensor):
        return LERP_TENSOR(self, end, weight)
    return LERP_SCALAR(self, end, weight=weight)


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


def _isclose_kernel(a, b, rtol, atol, equal_nan):
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


ISCLOSE = Op("isclose", _isclose_kernel, inputs=("self", "other"), nondifferentiable=True)


def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    other = wrap_scalar(other)
    if self._dtype is not other._dtype and not other._wrapped:
        raise RuntimeError(f"{self._dtype.short_name} did not match {other._dtype.short_name}")
    return ISCLOSE(self, other, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(self, other, rtol, atol, equal_nan).all())


def repeat_interleave(self, repeats, dim=None, *, output_size=None):
    """Each element repeated: an int count is unsqueeze + expand + clone + view (torch's graph), a
    tensor of counts is index_select with the repeated indices."""
    from .indexing import index_select
    x = self.flatten() if dim is None else self
    d = 0 if dim is None else _wrap_dim(dim, self._data.ndim)
    if isinstance(repeats, Tensor) and repeats._data.ndim:
        counts = repeats._data
        if counts.shape[0] != x.shape[d]:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.shape[0]} and input.size({d}) = {x.shape[d]}")
        index = Tensor._make(np.repeat(np.arange(x.shape[d], dtype=np.int64), counts))
        return index_select(x, d, index)
    r = int(repeats)
    shape = list(x.shape)
    expanded = x.unsqueeze(d + 1).expand(*shape[:d + 1], r, *shape[d + 1:])
    shape[d] *= r
    return expanded.clone(memory_format=None).contiguous().view(shape)


def take_along_dim(self, indices, dim=None):
    if dim is None:
        return self.view(-1).gather(0, indices.view(-1))
    d = _wrap_dim(dim, self._data.ndim)
    shape = list(np.broadcast_shapes(tuple(s if i != d else 1 for i, s in enumerate(self.shape)),
                                     tuple(s if i != d else 1 for i, s in enumerate(indices.shape))))
    src_shape, idx_shape = list(shape), list(shape)
    src_shape[d], idx_shape[d] = self.shape[d], indices.shape[d]
    # torch expands both operands to the broadcast shape even when nothing changes
    return self.expand(*src_shape).gather(d, indices.expand(*idx_shape))


def bincount(self, weights=None, minlength=0):
    if self._data.ndim != 1 or self._dtype.category != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else weights._data
    out = np.bincount(self._data, weights=w, minlength=minlength)
    dtype = np.int64 if weights is None else (weights._data.dtype if weights._dtype.category >= 2
                                               else np.float64)
    return Tensor._make(out.astype(dtype))


def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    values, inverse, counts = np.unique(self._data, return_inverse=True, return_counts=True, axis=dim)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.reshape(self._data.shape if dim is None else (-1,)).astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)
