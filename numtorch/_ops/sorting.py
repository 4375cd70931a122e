"""sort, argsort, topk, msort: values with a gradient routed back through the returned indices."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import _wrap_dim
from .dispatch import Op
from .indexing import scatter_values
from .reduction import SortResult, TopkResult


def _order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable order along dim; NaN counts as the largest value, as in PyTorch."""
    moved = np.moveaxis(a, dim, -1)
    if a.dtype.kind == "f" or a.dtype.kind == "c":
        nan = np.isnan(moved)
        clean = np.where(nan, 0, moved)
        keys = (-clean if descending else clean), (~nan if descending else nan)
    else:
        keys = ((-moved.astype(np.int64) if a.dtype != np.bool_ else ~moved) if descending else moved,)
    idx = np.lexsort(keys, axis=-1) if moved.ndim else np.zeros((), np.int64)
    return np.moveaxis(idx, -1, dim) if moved.ndim else idx


def _sort_kernel(a, dim, descending):
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    idx = np.ascontiguousarray(_order(a, dim, descending))  # ATen's outputs are contiguous
    return np.ascontiguousarray(np.take_along_axis(a, idx, dim)), idx.astype(np.int64)


def _select_back(c, g):
    return scatter_values(c.shapes[0], c.dim, c.result1, g[0])


SORT = Op("sort", _sort_kernel, node="SortBackward0", promote=None, multi_output=True,
          differentiable_outputs=(0,), grads={"self": lambda c, g: _select_back(c, g)})


def _topk_kernel(a, k, dim, largest, sorted):
    if not 0 <= k <= (a.shape[dim] if a.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if a.dtype == np.bool_:
        raise RuntimeError(messages.TOPK_BOOL)
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    idx = np.take(_order(a, dim, largest), np.arange(k), axis=dim)
    return np.take_along_axis(a, idx, dim), idx.astype(np.int64)


TOPK = Op("topk", _topk_kernel, node="TopkBackward0", promote=None, multi_output=True,
          differentiable_outputs=(0,), grads={"self": lambda c, g: _select_back(c, g)})


def _with_indices(result, cls):
    fn = result[0]._grad_fn
    if fn is not None:
        fn.save("result1", result[1])
    return cls(*result)


# sort(stable=...) is ATen's sort.stable overload: its node is SortBackward1
SORT_STABLE = Op("sort", _sort_kernel, node="SortBackward1", promote=None, multi_output=True,
                 differentiable_outputs=(0,), grads={"self": lambda c, g: _select_back(c, g)})


def sort(self, dim=-1, descending=False, stable=None):
    d = _wrap_dim(dim, self._data.ndim)
    op = SORT if stable is None else SORT_STABLE
    return _with_indices(op(self, dim=d, descending=descending), SortResult)


def argsort(self, dim=-1, descending=False, stable=False):
    return sort(self, dim, descending, stable)[1]


def msort(self):
    return sort(self, 0)[0]


def topk(self, k, dim=-1, largest=True, sorted=True):
    d = _wrap_dim(dim, self._data.ndim)
    return _with_indices(TOPK(self, k=k, dim=d, largest=largest, sorted=sorted), TopkResult)
