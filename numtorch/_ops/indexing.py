"""Indexing: __getitem__ as PyTorch decomposes it (select/slice/unsqueeze views, then one
IndexBackward0 for advanced indices), __setitem__ (copy_/fill_ into a view, or index_put_),
gather/scatter helpers, and the flat index ops used by AsStridedBackward0 and CopySlices."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from .dispatch import Op, wrap_scalar
from . import shape as S


# ---- flat index helpers (AsStrided / CopySlices backward), mutually differentiable ------------
def _scatter_flat_kernel(g, index, shape):
    out = np.zeros(int(np.prod(shape)) if shape else 1, dtype=g.dtype)
    np.add.at(out, index.reshape(-1), g.reshape(-1))
    return out.reshape(shape)


GATHER_FLAT = Op("_gather_flat", lambda a, index: a.reshape(-1)[index], node="AsStridedBackward0",
                 promote=None, grads={"self": lambda c, g: SCATTER_FLAT(g, index=c.index, shape=c.shapes[0])})
SCATTER_FLAT = Op("_scatter_flat", _scatter_flat_kernel, node="AsStridedBackwardBackward0", promote=None,
                  grads={"self": lambda c, g: GATHER_FLAT(g, index=c.index)})


def _put_flat_kernel(a, v, index):
    out = np.array(a, copy=True)
    out.reshape(-1)[index.reshape(-1)] = np.broadcast_to(v, index.shape).reshape(-1)
    return out


PUT_FLAT = Op("_put_flat", _put_flat_kernel, node="CopySlices", inputs=("self", "values"), promote=None,
              grads={"self": lambda c, g: PUT_FLAT(g, 0.0, index=c.index),
                     "values": lambda c, g: GATHER_FLAT(g, index=c.index)})


def _gather_flat(self, index):
    return GATHER_FLAT(self, index=index)


def _scatter_flat(self, index, shape):
    return SCATTER_FLAT(self, index=index, shape=tuple(shape))


def _put_flat(self, index, values):
    v = wrap_scalar(values)
    if v._dtype is not self._dtype:
        v = v.to(self._dtype)
    return PUT_FLAT(self, v, index=index)


# ---- advanced indexing -----------------------------------------------------------------------
def _index_kernel(a, key):
    try:
        return a[key]
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None


def _index_backward_kernel(g, shape, key):
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, key, g)
    return out


INDEX = Op("index", _index_kernel, node="IndexBackward0", promote=None,
           grads={"self": lambda c, g: INDEX_BACKWARD(g, shape=c.shapes[0], key=c.key)})
INDEX_BACKWARD = Op("index_backward", _index_backward_kernel, node="IndexPutBackward0", promote=None,
                    grads={"self": lambda c, g: INDEX(g, key=c.key)})


def _as_index(k):
    if isinstance(k, Tensor):
        if k._dtype.category >= 2:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return k._data if k._dtype.name != "uint8" else k._data.astype(bool)
    a = np.asarray(k)
    if a.dtype.kind == "f":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return a


def _is_int(k):
    return isinstance(k, (int, np.integer)) and not isinstance(k, bool)


def getitem(self, key):
    if isinstance(key, slice):  # a lone slice always records SliceBackward0, even when full
        return S.slice_dim(self, 0, key.start, key.stop, key.step)
    if not isinstance(key, tuple):
        key = (key,)
    if self._data.ndim == 0 and any(k is not None and k is not Ellipsis for k in key) and \
            not any(isinstance(k, (Tensor, list, np.ndarray, bool)) for k in key):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    consumed = 0
    for k in key:
        if k is None or k is Ellipsis:
            continue
        if isinstance(k, Tensor) and k._dtype.name in ("bool", "uint8"):
            consumed += k._data.ndim
        elif isinstance(k, np.ndarray) and k.dtype == bool:
            consumed += k.ndim
        else:
            consumed += 1
    if consumed > self._data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {self._data.ndim}")
    result, dim, adv, saved = self, 0, [], []
    for k in key:
        if k is None:
            result = S.unsqueeze(result, dim)
            dim += 1
        elif k is Ellipsis:
            dim += self._data.ndim - consumed
        elif _is_int(k) or (isinstance(k, Tensor) and k._data.ndim == 0 and k._dtype.category == 1):
            k = int(k)
            n = result._data.shape[dim]
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {n}")
            result = S.select(result, dim, k)
        elif isinstance(k, slice):
            n = result._data.shape[dim]
            start, stop, step = k.indices(n)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            if not (start == 0 and stop == n and step == 1):
                result = S.slice_dim(result, dim, start, max(stop, start), step)
            dim += 1
        else:
            if isinstance(k, Tensor):
                saved.append(k)
            idx = _as_index(k)
            adv.append((dim, idx))
            dim += idx.ndim if idx.dtype == bool else 1
    if adv:
        full = [slice(None)] * (adv[-1][0] + 1)
        for d, idx in adv:
            full[d] = idx
        # bool masks spanning several dims are given to numpy as one entry
        key_np = tuple(x for i, x in enumerate(full) if not (isinstance(x, slice) and _covered(adv, i)))
        result = INDEX(result, key=key_np)
        fn = result._grad_fn
        if fn is not None:
            for i, t in enumerate(saved):
                fn.save(f"indices{i}", t)
    elif result is self:
        result = S.alias(self)
    return result


def _covered(adv, i):
    return any(idx.dtype == bool and d < i < d + idx.ndim for d, idx in adv)


# ---- assignment --------------------------------------------------------------------------------
def _index_put_kernel(a, values, key, accumulate):
    out = np.array(a, copy=True)
    v = values.astype(a.dtype, copy=False)
    if accumulate:
        np.add.at(out, key, v)
    else:
        out[key] = v
    return out


INDEX_PUT = Op("index_put", _index_put_kernel, node="IndexPutBackward0", inputs=("self", "values"),
               promote=None,
               grads={"self": lambda c, g: g if c.accumulate else _zero_at(g, c.key),
                      "values": lambda c, g: INDEX(g, key=c.key)})


def _zero_at(g, key):
    return INDEX_PUT(g, wrap_scalar(0.0).to(g.dtype), key=key, accumulate=False)


FILL = Op("fill_", lambda a, value: np.full(a.shape, value, dtype=a.dtype), node="FillBackward0",
          inputs=("self",), promote=None, grads={"self": lambda c, g: g * 0})
FILL_T = Op("fill_", lambda a, v: np.broadcast_to(v.astype(a.dtype), a.shape), node="FillBackward1",
            inputs=("self", "value"), promote=None,
            grads={"self": lambda c, g: g * 0, "value": lambda c, g: g.sum()})
ZERO = Op("zero_", lambda a: np.zeros_like(a), node="ZeroBackward0", promote=None,
          grads={"self": lambda c, g: g * 0})


def fill_(self, value):
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return FILL_T.inplace(self, value)
    return FILL.inplace(self, value=value)


def zero_(self):
    return ZERO.inplace(self)


def _has_advanced(key):
    key = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, (Tensor, list, np.ndarray)) and not
               (isinstance(k, Tensor) and k._data.ndim == 0 and k._dtype.category == 1) for k in key)


def setitem(self, key, value):
    from .pointwise import copy_
    if _has_advanced(key):
        index_put_(self, key, value)
        return
    target = getitem(self, key)
    if isinstance(value, Tensor):
        copy_(target, value)
    else:
        fill_(target, value)


def index_put_(self, indices, values, accumulate=False):
    key = indices if isinstance(indices, tuple) else (indices,)
    np_key = []
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice) or _is_int(k):
            np_key.append(k)
        else:
            np_key.append(_as_index(k))
    v = wrap_scalar(values)
    INDEX_PUT.inplace(self, v, key=tuple(np_key), accumulate=accumulate)
    return self


def index_put(self, indices, values, accumulate=False):
    from .pointwise import clone
    return index_put_(clone(self), indices, values, accumulate)


def masked_fill(self, mask, value):
    from .pointwise import where
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                           f"with {value._data.ndim} dimension(s).")
    return where(mask, wrap_scalar(value).to(self._dtype), self)


def masked_fill_(self, mask, value):
    from .pointwise import copy_
    return copy_(self, masked_fill(self, mask, value))


# ---- gather / scatter by dim ---------------------------------------------------------------------
def _scatter_values_kernel(src, index, shape, dim):
    out = np.zeros(shape, dtype=src.dtype)
    _scatter_add(out, index, src, dim)
    return out


def _scatter_add(out, index, src, dim):
    idx = list(np.indices(index.shape, sparse=True))
    idx[dim] = index
    np.add.at(out, tuple(idx), src[tuple(slice(0, s) for s in index.shape)])


SCATTER_VALUES = Op("value_selecting_reduction_backward", _scatter_values_kernel,
                    node="ValueSelectingReductionBackwardBackward0", promote=None,
                    inputs=("self", "index"),
                    grads={"self": lambda c, g: gather(g, c.dim, c.index)})


def scatter_values(shape, dim, index, g):
    return SCATTER_VALUES(g, index, shape=tuple(shape), dim=dim)


GATHER = Op("gather", lambda a, index, dim: np.take_along_axis(a, index, dim), node="GatherBackward0",
            inputs=("self", "index"), promote=None,
            grads={"self": lambda c, g: scatter_values(c.shapes[0], c.dim, c.index, g)})


def gather(self, dim, index, *, sparse_grad=False):
    return GATHER(self, index, dim=_wrap_dim(dim, self._data.ndim))


FLIP = Op("flip", lambda a, dims: np.flip(a, dims).copy(), node="FlipBackward0", promote=None,
          grads={"self": lambda c, g: FLIP(g, dims=c.dims)})


def nonzero(self, *, as_tuple=False):
    idx = np.nonzero(self._data)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in idx)
    return Tensor._make(np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((1, 0), np.int64))


INDEX_SELECT = Op("index_select", lambda a, index, dim: np.take(a, index, axis=dim),
                  node="IndexSelectBackward0", inputs=("self", "index"), promote=None,
                  grads={"self": lambda c, g: INDEX_ADD_BACKWARD(g, c.index, shape=c.shapes[0], dim=c.dim)})


def _index_add_kernel(g, index, shape, dim):
    out = np.zeros(shape, dtype=g.dtype)
    key = [slice(None)] * len(shape)
    key[dim] = index
    np.add.at(out, tuple(key), g)
    return out


INDEX_ADD_BACKWARD = Op("index_add", _index_add_kernel, node="IndexAddBackward0", inputs=("self", "index"),
                        promote=None, grads={"self": lambda c, g: index_select(g, c.dim, c.index)})


def index_select(self, dim, index):
    return INDEX_SELECT(self, index, dim=_wrap_dim(dim, self._data.ndim))


def masked_select(self, mask):
    return getitem(self, mask.expand_as(self) if mask.shape != self.shape else mask)
