"""The indexing ops that take index or mask tensors as arguments: masked_fill(_), index_add(_),
scatter(_), scatter_add(_), gather, index_select, masked_select. The index/mask is a kernel
attribute, not a graph input (torch's next_functions list only differentiable inputs), and is
saved on the node so that writing it in place later fails backward's version check (E14)."""
from __future__ import annotations

import warnings

import numpy as np

from .._autograd import views as _views
from .._core import messages
from .._tensor import Tensor, _wrap_dim
from . import shape as S
from .dispatch import Op


# ---- saving non-differentiable tensor arguments (indices, masks) ---------------------------------
def _recorded_node(target, before):
    """The node an op just recorded for `target` (the op's own node when it wrote through a view
    and the base got a CopySlices), or None when nothing was recorded."""
    if target._view is None:
        fn = target._grad_fn
        return fn if fn is not before else None
    fn = target._view.base._grad_fn
    if fn is before or not isinstance(fn, _views.CopySlices):
        return None
    return fn.fn


def _raw_fn(target):
    return target._grad_fn if target._view is None else target._view.base._grad_fn


def _save(node, **tensors) -> None:
    if node is not None:
        for name, t in tensors.items():
            if isinstance(t, Tensor):
                node.save(name, t)


def _inplace(op, target, *args, saved=None, **attrs):
    before = _raw_fn(target)
    op.inplace(target, *args, **attrs)
    if saved:
        _save(_recorded_node(target, before), **saved)
    return target


def _call(op, *args, saved=None, **attrs):
    out = op(*args, **attrs)
    if saved:
        _save(out._grad_fn, **saved)
    return out


def _shape_list(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _type_name(obj) -> str:
    """Python's tp_name: builtins and classes defined in Python by name, C types with module."""
    t = type(obj)
    if t.__module__ in ("builtins", "__main__") or t.__flags__ & (1 << 9):
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


# ---- masked_fill(_) -----------------------------------------------------------------------------
def _masked_fill_checks(a, maskarr, v, inplace):
    if v is not None and v.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{v.ndim} dimension(s).")
    if maskarr.dtype != np.bool_:
        from .._core import dtypes as dt
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{dt._BY_NP[maskarr.dtype].cpp_name}")
    try:
        shape = np.broadcast_shapes(a.shape, maskarr.shape)
    except ValueError:
        S_ = [a.shape, maskarr.shape]
        nd = max(len(s) for s in S_)
        for d in range(1, nd + 1):
            x = a.shape[-d] if d <= a.ndim else 1
            y = maskarr.shape[-d] if d <= maskarr.ndim else 1
            if x != y and x != 1 and y != 1:
                raise RuntimeError(messages.BROADCAST.format(a=x, b=y, dim=nd - d)) from None
        raise
    if inplace and shape != a.shape:
        raise RuntimeError(f"output with shape {_shape_list(a.shape)} doesn't match the broadcast shape "
                           f"{_shape_list(shape)}")
    return shape


def _masked_fill_kernel(a, maskarr, value, inplace=False):
    shape = _masked_fill_checks(a, maskarr, None, inplace)
    if inplace and _views.has_internal_overlap(a):
        warnings.warn("Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor "
                      "before performing this operation. This also applies to advanced indexing e.g. "
                      "tensor[mask] = scalar", UserWarning, stacklevel=5)
    if inplace and _views.has_internal_overlap(a):
        a[np.broadcast_to(maskarr, shape)] = value  # in place, as for index_put_ above
        return a
    out = np.array(np.broadcast_to(a, shape), copy=True)
    out[np.broadcast_to(maskarr, shape)] = value
    return out


def _masked_fill_t_kernel(a, v, maskarr, inplace=False):
    _masked_fill_checks(a, maskarr, v, inplace)
    return _masked_fill_kernel(a, maskarr, v.reshape(()).astype(a.dtype), inplace)


MASKED_FILL = Op("masked_fill", _masked_fill_kernel, node="MaskedFillBackward0", promote=None,
                 grads={"self": lambda c, g: MASKED_FILL(g, maskarr=c.maskarr, value=0)})
MASKED_FILL.overlap = (False, False)
MASKED_FILL_T = Op("masked_fill", _masked_fill_t_kernel, node="MaskedFillBackward1", promote=None,
                   inputs=("self", "value"),
                   grads={"self": lambda c, g: MASKED_FILL(g, maskarr=c.maskarr, value=0),
                          "value": lambda c, g: MASKED_FILL(g, maskarr=~c.maskarr, value=0).sum()})
MASKED_FILL_T.overlap = (False, False)


def masked_fill(self, mask, value):
    if isinstance(value, Tensor):
        return _call(MASKED_FILL_T, self, value, maskarr=mask._data, saved={"mask": mask})
    return _call(MASKED_FILL, self, maskarr=mask._data, value=value, saved={"mask": mask})


def masked_fill_(self, mask, value):
    if isinstance(value, Tensor):
        return _inplace(MASKED_FILL_T, self, value, maskarr=mask._data, inplace=True, saved={"mask": mask})
    return _inplace(MASKED_FILL, self, maskarr=mask._data, value=value, inplace=True, saved={"mask": mask})


# ---- index_add(_), scatter(_), scatter_add(_), gather, index_select ------------------------------
def _dtype_short(arr):
    from .._core import dtypes as dt
    return dt._BY_NP[arr.dtype].short_name


def _index_add_kernel(a, source, indexarr, dim, alpha, name="index_add_"):
    index = indexarr
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: {_dtype_short(index)}")
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector, but got dim: {index.ndim} with type: "
                         f"{_dtype_short(index)} and size: {_shape_list(index.shape)}")
    if a.dtype != source.dtype:
        raise RuntimeError(f"{name}(): self ({_dtype_short(a)}) and source ({_dtype_short(source)}) must "
                           "have the same scalar type")
    src_shape = list(source.shape)
    self_shape = list(a.shape)
    if (source.ndim != a.ndim and not (source.ndim <= 1 and a.ndim <= 1)) or any(
            s != t for i, (s, t) in enumerate(zip(src_shape, self_shape)) if i != dim):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified "
                           f"dimension. Got self.shape = {_shape_list(a.shape)} source.shape = "
                           f"{_shape_list(source.shape)}")
    n_src = source.shape[dim] if source.ndim else 1
    if index.size != n_src:
        raise RuntimeError(f"{name}(): Number of indices ({index.size}) should be equal to "
                           f"source.size(dim): ({n_src}), for dim: {dim}")
    n = a.shape[dim] if a.ndim else 1
    flat_index = index.reshape(-1)
    if flat_index.size and ((flat_index >= n) | (flat_index < -n)).any():
        raise IndexError("index out of range in self")
    out = np.array(a, copy=True)
    src = source if alpha == 1 else source * np.asarray(alpha, dtype=a.dtype)
    if a.ndim == 0:
        out += src.reshape(()) * len(flat_index)
        return out
    key = [slice(None)] * a.ndim
    key[dim] = flat_index
    np.add.at(out, tuple(key), src.reshape(src_shape if source.ndim else [1]))
    return out


def _index_add_source_grad(c, g):
    r = index_select(g, c.dim, c.index)
    if c.alpha != 1:
        r = r * c.alpha
    return r if len(c.shapes[1]) == r.dim() else S.reshape(r, c.shapes[1])


INDEX_ADD = Op("index_add", _index_add_kernel, node="IndexAddBackward0", inputs=("self", "source"),
               promote=None, grads={"self": lambda c, g: g, "source": _index_add_source_grad})


def _index_tensor(index):
    return index if isinstance(index, Tensor) else Tensor._make(np.asarray(index))


def index_add_(self, dim, index, source, *, alpha=1):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _inplace(INDEX_ADD, self, source, indexarr=index._data, dim=d, alpha=alpha, saved={"index": index})


def index_add(self, dim, index, source, *, alpha=1):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(INDEX_ADD, self, source, indexarr=index._data, dim=d, alpha=alpha, saved={"index": index})


def _scatter_checks(name, a, index, dim, src):
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype != a.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if index.ndim != a.ndim and index.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and index.ndim != src.ndim and index.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for d in range(index.ndim):
        too_big = (d != dim and index.shape[d] > a.shape[d]) or \
            (src is not None and index.shape[d] > src.shape[d])
        if too_big:
            src_part = "" if src is None else f" and to be no larger size than src {_shape_list(src.shape)}"
            raise RuntimeError(f"Expected index {_shape_list(index.shape)} to be no larger than self "
                               f"{_shape_list(a.shape)} apart from dimension {dim}{src_part}")
    n = a.shape[dim] if a.ndim else 1
    bad = (index >= n) | (index < 0)
    if bad.any():
        raise RuntimeError(f"index {int(index[bad].reshape(-1)[0])} is out of bounds for dimension {dim} "
                           f"with size {n}")


def _scatter_key(index, dim):
    idx = list(np.indices(index.shape, sparse=True))
    idx[dim] = index
    return tuple(idx)


def _scatter_kernel(a, src, indexarr, dim):
    index = indexarr
    _scatter_checks("scatter", a, index, dim, src)
    out = np.array(a, copy=True)
    if index.size:
        out[_scatter_key(index, dim)] = src[tuple(slice(0, s) for s in index.shape)]
    return out


def _scatter_value_kernel(a, indexarr, dim, value):
    index = indexarr
    _scatter_checks("scatter", a, index, dim, None)
    out = np.array(a, copy=True)
    if index.size:
        out[_scatter_key(index, dim)] = value
    return out


def _scatter_add_kernel(a, src, indexarr, dim):
    index = indexarr
    _scatter_checks("scatter_add", a, index, dim, src)
    out = np.array(a, copy=True)
    if index.size:
        np.add.at(out, _scatter_key(index, dim), src[tuple(slice(0, s) for s in index.shape)])
    return out


def _scatter_self_grad(c, g):
    return _call(SCATTER_VALUE, g, indexarr=c.indexarr, dim=c.dim, value=0, saved={"index": c.index})


def _gather_src_grad(c, g):
    return _call(GATHER, g, indexarr=c.indexarr, dim=c.dim, saved={"index": c.index})


SCATTER = Op("scatter", _scatter_kernel, node="ScatterBackward0", inputs=("self", "src"), promote=None,
             grads={"self": _scatter_self_grad, "src": _gather_src_grad})
SCATTER_VALUE = Op("scatter", _scatter_value_kernel, node="ScatterBackward1", promote=None,
                   grads={"self": _scatter_self_grad})
SCATTER_ADD = Op("scatter_add", _scatter_add_kernel, node="ScatterAddBackward0", inputs=("self", "src"),
                 promote=None, grads={"self": lambda c, g: g, "src": _gather_src_grad})


def _scatter_args(self, dim, index):
    index = _index_tensor(index)
    return index, _wrap_dim(dim, self._data.ndim)


def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    index, d = _scatter_args(self, dim, index)
    if src is None:
        src = value
    if isinstance(src, Tensor):
        return _inplace(SCATTER, self, src, indexarr=index._data, dim=d,
                        saved={"index": index})
    return _inplace(SCATTER_VALUE, self, indexarr=index._data, dim=d, value=src,
                    saved={"index": index})


def scatter(self, dim, index, src=None, *, value=None, reduce=None):
    index, d = _scatter_args(self, dim, index)
    if src is None:
        src = value
    if isinstance(src, Tensor):
        return _call(SCATTER, self, src, indexarr=index._data, dim=d, saved={"index": index})
    return _call(SCATTER_VALUE, self, indexarr=index._data, dim=d, value=src,
                 saved={"index": index})


def scatter_add_(self, dim, index, src):
    index, d = _scatter_args(self, dim, index)
    return _inplace(SCATTER_ADD, self, src, indexarr=index._data, dim=d,
                    saved={"index": index})


def scatter_add(self, dim, index, src):
    index, d = _scatter_args(self, dim, index)
    return _call(SCATTER_ADD, self, src, indexarr=index._data, dim=d, saved={"index": index})


def _gather_kernel(a, indexarr, dim):
    index = indexarr
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if index.ndim != a.ndim and not (index.ndim <= 1 and a.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d in range(index.ndim):
        if d != dim and index.shape[d] > a.shape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index "
                               f"{_shape_list(index.shape)} to be no larger than self {_shape_list(a.shape)} "
                               f"apart from dimension {dim}")
    n = a.shape[dim] if a.ndim else 1
    bad = (index >= n) | (index < 0)
    if bad.any():
        raise RuntimeError(f"index {int(index[bad].reshape(-1)[0])} is out of bounds for dimension {dim} "
                           f"with size {n}")
    if a.ndim == 0:
        return a.reshape(()).copy() if index.ndim == 0 else np.broadcast_to(a, index.shape).copy()
    return a[_scatter_key(index, dim)]  # out[i][j] = a[i][index[i][j]] over index's own shape


def _gather_backward_kernel(g, shape, indexarr, dim):
    index = indexarr
    out = np.zeros(shape, dtype=g.dtype)
    if index.size:
        np.add.at(out, _scatter_key(index, dim), g)
    return out


GATHER = Op("gather", _gather_kernel, node="GatherBackward0", promote=None,
            grads={"self": lambda c, g: _call(GATHER_BACKWARD, g, shape=c.shapes[0], indexarr=c.indexarr,
                                              dim=c.dim, saved={"index": c.index})})
GATHER_BACKWARD = Op("gather_backward", _gather_backward_kernel, node="ScatterAddBackward0", promote=None,
                     grads={"self": lambda c, g: _gather_src_grad(c, g)})


def gather(self, dim, index, *, sparse_grad=False):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(GATHER, self, indexarr=index._data, dim=d, saved={"index": index})


# used by max(dim)/min(dim) backward: grad placed at the selected indices
def _scatter_values_kernel(src, index, shape, dim):
    out = np.zeros(shape, dtype=src.dtype)
    idx = list(np.indices(index.shape, sparse=True))
    idx[dim] = index
    np.add.at(out, tuple(idx), src[tuple(slice(0, s) for s in index.shape)])
    return out


SCATTER_VALUES = Op("value_selecting_reduction_backward", _scatter_values_kernel,
                    node="ValueSelectingReductionBackwardBackward0", promote=None,
                    inputs=("self", "index"),
                    grads={"self": lambda c, g: gather(g, c.dim, c.index)})


def scatter_values(shape, dim, index, g):
    return SCATTER_VALUES(g, index, shape=tuple(shape), dim=dim)


def _index_select_kernel(a, indexarr, dim):
    index = indexarr
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    n = a.shape[dim] if a.ndim else 1
    flat = index.reshape(-1)
    if flat.size and ((flat >= n) | (flat < -n)).any():
        raise IndexError("index out of range in self")
    if a.ndim == 0:
        return a.reshape(()).copy()
    return np.take(a, flat, axis=dim)


def _index_select_backward(c, g):
    from .creation import zeros
    return index_add_(zeros(c.shapes[0], dtype=g.dtype), c.dim, c.index, g)


INDEX_SELECT = Op("index_select", _index_select_kernel, node="IndexSelectBackward0", promote=None,
                  grads={"self": _index_select_backward})


def index_select(self, dim, index):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(INDEX_SELECT, self, indexarr=index._data, dim=d, saved={"index": index})


# ---- masked_select -------------------------------------------------------------------------------
def _masked_select_kernel(a, maskarr):
    if maskarr.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(a.shape, maskarr.shape)
    return np.broadcast_to(a, shape)[np.broadcast_to(maskarr, shape)]


def _masked_scatter_kernel(g, shape, maskarr):
    out = np.zeros(shape, dtype=g.dtype)
    out[np.broadcast_to(maskarr, shape)] = g
    return out


MASKED_SELECT = Op("masked_select", _masked_select_kernel, node="MaskedSelectBackward0", promote=None,
                   grads={"self": lambda c, g: MASKED_SCATTER(
                       g, shape=np.broadcast_shapes(c.shapes[0], c.maskarr.shape), maskarr=c.maskarr)})
MASKED_SCATTER = Op("masked_scatter", _masked_scatter_kernel, node="MaskedScatterBackward0", promote=None,
                    grads={"self": lambda c, g: MASKED_SELECT(g, maskarr=c.maskarr)})


def masked_select(self, mask):
    return _call(MASKED_SELECT, self, maskarr=mask._data, saved={"mask": mask})
