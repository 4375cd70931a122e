"""The indexing ops that take index or mask tensors as arguments: masked_fill(_), index_add(_),
index_copy(_), index_fill(_), scatter(_) (with the legacy reduce=), scatter_add(_),
scatter_reduce(_), gather, index_select, masked_select, masked_scatter(_). The index/mask is a kernel
attribute, not a graph input (torch's next_functions list only differentiable inputs), and is
saved on the node so that writing it in place later fails backward's version check (E14)."""
from __future__ import annotations

import copy as _copy
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
        # masked_fill_ expands the mask to self (tensor a is self); masked_fill is
        # expand_outplace(mask, self) first (tensor a is the mask)
        first, second = (a.shape, maskarr.shape) if inplace else (maskarr.shape, a.shape)
        nd = max(len(first), len(second))
        for d in range(1, nd + 1):
            x = first[-d] if d <= len(first) else 1
            y = second[-d] if d <= len(second) else 1
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
    out = np.array(np.broadcast_to(a, shape), copy=True, order="C")  # torch: clone(Contiguous)
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
    # ATen's index_func_meta_impl, in its order
    if dim != 0 and dim >= source.ndim:
        raise RuntimeError(messages.INDEX_ADD_DIM_SOURCE.format(dim=dim, source=source.ndim))
    if index.size != (source.shape[dim] if source.ndim else 1):
        if not source.ndim:  # the message reads source.size(dim), which raises for a 0-d source
            raise IndexError(messages.DIM_NO_DIMS.format(dim=dim))
        raise RuntimeError(f"{name}(): Number of indices ({index.size}) should be equal to "
                           f"source.size(dim): ({source.shape[dim]}), for dim: {dim}")
    # the sizes but dim's must match; a 0-d operand (either) removes no dim, so it matches only 0-d
    if source.ndim and a.ndim:
        del src_shape[dim], self_shape[dim]
    if src_shape != self_shape:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified "
                           f"dimension. Got self.shape = {_shape_list(a.shape)} source.shape = "
                           f"{_shape_list(source.shape)}")
    n = a.shape[dim] if a.ndim else 1
    flat_index = index.reshape(-1)
    if a.ndim > 1 and not (flat_index.size and a.size):
        return np.array(a, copy=True)  # ATen returns before reading any index
    if flat_index.size and ((flat_index >= n) | (flat_index < 0)).any():  # negatives are out of range
        if a.ndim > 1 and (dim == 0 or dim == a.ndim - 1) and index.dtype == np.int64 \
                and alpha == 1 and not isinstance(alpha, (bool, np.bool_)):
            # index_add_cpu_ runs these as scatter_add_ (index expanded): scatter's bounds check
            bad = flat_index[(flat_index >= n) | (flat_index < 0)][0]
            raise RuntimeError(messages.INDEX_ADD_SCATTER_BOUNDS.format(index=int(bad), dim=dim, size=n))
        raise IndexError("index out of range in self")
    if a.dtype == np.bool_:  # bool adds as "or": computed on integers
        return _index_add_kernel(a.astype(np.int64), source.astype(np.int64), indexarr, dim, alpha,
                                 name) != 0
    out = np.array(a, copy=True)
    src = source if alpha == 1 else source * np.asarray(alpha, dtype=a.dtype)
    if a.ndim == 0:
        out += src.reshape(()) * len(flat_index)
        return out
    key = [slice(None)] * a.ndim
    key[dim] = flat_index
    np.add.at(out, tuple(key), src.reshape(source.shape if source.ndim else [1]))
    return out


def _index_add_source_grad(c, g, source):
    # source is named so that the node saves it, as torch's (its formula reads source.dim())
    # derivatives.yaml: maybe_multiply(source.dim() > 0 ? grad.index_select(dim, index).expand_as(source)
    # : grad.index_select(dim, index.squeeze(0)), alpha); the expand also takes an index whose .data
    # was replaced by a shorter one after forward
    from .nn_ops import MUL_SCALAR
    if len(c.shapes[1]):
        r = S.expand_as(index_select(g, c.dim, c.index), source)
    else:
        r = index_select(g, c.dim, S.squeeze(c.index, 0))
    return r if c.alpha == 1 else MUL_SCALAR(r, other=c.alpha)


INDEX_ADD = Op("index_add", _index_add_kernel, node="IndexAddBackward0", inputs=("self", "source"),
               promote=None, grads={"self": lambda c, g: g,
                                    "source": lambda c, g: _index_add_source_grad(c, g, c.source)})


def _index_tensor(index):
    return index if isinstance(index, Tensor) else Tensor._make(np.asarray(index))


def index_add_(self, dim, index, source, *, alpha=1):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _inplace(INDEX_ADD, self, source, indexarr=index._data, dim=d, alpha=alpha,
                    saved=_index_if_grad(source, index))


def index_add(self, dim, index, source, *, alpha=1):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(INDEX_ADD, self, source, indexarr=index._data, dim=d, alpha=alpha,
                 saved=_index_if_grad(source, index))


# ---- index_copy(_), index_fill(_) -------------------------------------------------------------------
def _slice_shape(shape, dim) -> str:
    # ATen prints these std::vectors space-separated
    sizes = list(shape)
    if sizes:
        del sizes[dim]
    return " ".join(str(s) for s in sizes)


def _index_copy_kernel(a, source, indexarr, dim):
    index = indexarr
    if index.ndim >= 2:
        raise IndexError(messages.INDEX_COPY_INDEX_DIM.format(dim=index.ndim))
    count = index.size
    if source.ndim == 0 and count != 1:
        raise IndexError(messages.INDEX_COPY_SCALAR_SOURCE.format(count=count))
    if source.ndim != a.ndim and source.ndim and a.ndim:
        raise IndexError(messages.INDEX_COPY_DIMS.format(source=source.ndim, self=a.ndim))
    if index.dtype != np.int64:
        raise RuntimeError(messages.INDEX_COPY_INDEX_DTYPE.format(dtype=_dtype_short(index)))
    if a.dtype != source.dtype:
        raise RuntimeError(messages.INDEX_COPY_DTYPES.format(self=_dtype_short(a),
                                                             source=_dtype_short(source)))
    if _slice_shape(a.shape, dim) != _slice_shape(source.shape, dim):
        raise RuntimeError(messages.INDEX_COPY_SLICES.format(self=_slice_shape(a.shape, dim), dim=dim,
                                                             source=_slice_shape(source.shape, dim)))
    if source.ndim and count != source.shape[dim]:
        raise IndexError(messages.INDEX_COPY_COUNT.format(count=count, size=source.shape[dim]))
    n = a.shape[dim] if a.ndim else 1
    flat = index.reshape(-1)
    bad = (flat >= n) | (flat < 0)
    if bad.any():
        raise IndexError(messages.INDEX_COPY_BOUNDS.format(index=int(flat[bad][0]), dim=dim, size=n))
    out = np.array(a, copy=True)
    if a.ndim == 0:  # every index is 0: ATen's serial loop leaves the last source element
        out[...] = source.reshape(-1)[-1]
        return out
    key = [slice(None)] * a.ndim
    key[dim] = flat
    out[tuple(key)] = source  # a repeated index keeps the last row, as ATen's serial CPU loop
    return out


def _index_copy_source_grad(c, g, source):
    r = index_select(g, c.dim, c.index)
    return S.expand_as(r, source) if source.dim() else S.reshape(r, ())


INDEX_COPY = Op("index_copy", _index_copy_kernel, node="IndexCopyBackward0", inputs=("self", "source"),
                promote=None, grads={"self": lambda c, g: index_fill(g, c.dim, c.index, 0),
                                     "source": lambda c, g: _index_copy_source_grad(c, g, c.source)})


def index_copy(self, dim, index, source, *, _method=False):
    _check_src_tensor("index_copy", source, 3 if _method else 4, "source")
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(INDEX_COPY, self, source, indexarr=index._data, dim=d, saved={"index": index})


def index_copy_(self, dim, index, source):
    _check_src_tensor("index_copy_", source, 3, "source")
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _inplace(INDEX_COPY, self, source, indexarr=index._data, dim=d, saved={"index": index})


def _index_fill_kernel(a, indexarr, dim, value):
    index = indexarr
    if index.dtype != np.int64:
        raise IndexError(messages.INDEX_FILL_INDEX_DTYPE)
    if index.ndim > 1:
        raise RuntimeError(messages.INDEX_FILL_INDEX_DIM)
    n = a.shape[dim] if a.ndim else 1
    flat = index.reshape(-1)
    bad = (flat >= n) | (flat < -n)  # negative indices count from the end here
    if bad.any():
        raise IndexError(messages.INDEX_FILL_BOUNDS.format(index=int(flat[bad][0]), dim=dim, size=n))
    if np.iscomplexobj(value) and a.dtype.kind != "c":
        raise RuntimeError(messages.INDEX_FILL_COMPLEX)
    out = np.array(a, copy=True)
    value = np.asarray(value).astype(a.dtype)  # the Scalar, converted to self's dtype
    if a.ndim == 0:
        if flat.size:
            out[...] = value
        return out
    key = [slice(None)] * a.ndim
    key[dim] = flat
    out[tuple(key)] = value
    return out


def _index_fill_t_kernel(a, v, indexarr, dim):
    if v.ndim:
        raise RuntimeError(messages.INDEX_FILL_VALUE_DIM.format(dim=v.ndim))
    return _index_fill_kernel(a, indexarr, dim, v.reshape(()))


def _index_fill_value_grad(c, g):
    # derivatives.yaml: grad.index_select(dim, unique(index)).sum()
    unique = Tensor._make(np.unique(c.indexarr.reshape(-1)))
    return index_select(g, c.dim, unique).sum()


INDEX_FILL = Op("index_fill", _index_fill_kernel, node="IndexFillBackward0", promote=None,
                grads={"self": lambda c, g: index_fill(g, c.dim, c.index, 0)})
INDEX_FILL_T = Op("index_fill", _index_fill_t_kernel, node="IndexFillBackward1", inputs=("self", "value"),
                  promote=None, grads={"self": lambda c, g: index_fill(g, c.dim, c.index, 0),
                                       "value": _index_fill_value_grad})


def _index_fill_expanded_kernel(a, indexarr, dim, value):
    """index_fill_ on an expanded tensor: ATen writes the filled positions through the aliases
    (so every element sharing their memory changes too). `a` is the target's own array."""
    out = _index_fill_kernel(a, indexarr, dim, value)  # the checks, and the filled values
    key = [slice(None)] * a.ndim
    key[dim] = indexarr.reshape(-1)
    a[tuple(key)] = out[tuple(key)]
    return a


def _index_fill_t_expanded_kernel(a, v, indexarr, dim):
    return _index_fill_expanded_kernel(a, indexarr, dim, v.reshape(()))


# the deprecated form on expanded targets: no internal-overlap check, a write through the aliases
INDEX_FILL_EXPANDED = _copy.copy(INDEX_FILL)
INDEX_FILL_EXPANDED.kernel = _index_fill_expanded_kernel
INDEX_FILL_EXPANDED.overlap = (False, True)
INDEX_FILL_T_EXPANDED = _copy.copy(INDEX_FILL_T)
INDEX_FILL_T_EXPANDED.kernel = _index_fill_t_expanded_kernel
INDEX_FILL_T_EXPANDED.overlap = (False, True)


def _index_fill_expanded(self, index, value):
    """ATen's checks before its deprecation warning (the value's dim, the index dtype), then the
    warning; the rest is checked by the kernel."""
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(messages.INDEX_FILL_VALUE_DIM.format(dim=value._data.ndim))
    if index._data.dtype != np.int64:
        raise IndexError(messages.INDEX_FILL_INDEX_DTYPE)
    from .conversion import _warn_at_user
    _warn_at_user(messages.W_INDEX_FILL_EXPANDED)


def _index_fill(self, dim, index, value, inplace):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    run = _inplace if inplace else _call
    if inplace and _views.has_internal_overlap(self._data):
        _index_fill_expanded(self, index, value)
        if isinstance(value, Tensor):
            return run(INDEX_FILL_T_EXPANDED, self, value, indexarr=index._data, dim=d, saved={"index": index})
        return run(INDEX_FILL_EXPANDED, self, indexarr=index._data, dim=d, value=value, saved={"index": index})
    if isinstance(value, Tensor):
        return run(INDEX_FILL_T, self, value, indexarr=index._data, dim=d, saved={"index": index})
    return run(INDEX_FILL, self, indexarr=index._data, dim=d, value=value, saved={"index": index})


def index_fill(self, dim, index, value):
    return _index_fill(self, dim, index, value, False)


def index_fill_(self, dim, index, value):
    return _index_fill(self, dim, index, value, True)


def _nonempty_dim(x: np.ndarray) -> int:
    """ATen's ensure_nonempty_dim: scatter/gather treat a 0-d operand as 1-d of size 1."""
    return x.ndim or 1


def _nonempty_size(x: np.ndarray, d: int) -> int:
    """ATen's ensure_nonempty_size."""
    return x.shape[d] if x.ndim else 1


def _as_1d(x: np.ndarray) -> np.ndarray:
    """A 0-d operand as the 1-d tensor of one element that ATen's scatter/gather loops see."""
    return x.reshape(1) if x.ndim == 0 else x


def _scatter_checks(name, a, index, dim, src, then=None):
    """ATen's scatter_gather_dtype_check and scatter_shape_check, then `then` (the reduce
    argument's check, which torch makes in the meta function), then the kernel's bounds check.
    Dimensions and sizes are ATen's ensure_nonempty ones: a 0-d operand counts as 1-d."""
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype != a.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if _nonempty_dim(index) != _nonempty_dim(a) and index.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and _nonempty_dim(index) != _nonempty_dim(src) and index.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for d in range(_nonempty_dim(index)):
        too_big = (d != dim and _nonempty_size(index, d) > _nonempty_size(a, d)) or \
            (src is not None and _nonempty_size(index, d) > _nonempty_size(src, d))
        if too_big:
            src_part = "" if src is None else f" and to be no larger size than src {_shape_list(src.shape)}"
            raise RuntimeError(f"Expected index {_shape_list(index.shape)} to be no larger than self "
                               f"{_shape_list(a.shape)} apart from dimension {dim}{src_part}")
    if then is not None:
        then()
    n = a.shape[dim] if a.ndim else 1
    bad = (index >= n) | (index < 0)
    if bad.any():
        raise RuntimeError(f"index {int(index[bad].reshape(-1)[0])} is out of bounds for dimension {dim} "
                           f"with size {n}")


def _scatter_key(index, dim):
    """The positions index addresses (out[i][index[i][j]] over index's shape); index is not 0-d."""
    idx = list(np.indices(index.shape, sparse=True))
    idx[dim] = index
    return tuple(idx)


def _leading(src, index):
    """The part of src that index covers (src may be larger than index in every dimension)."""
    return src[tuple(slice(0, s) for s in index.shape)]


def _scatter_operands(a, index, src=None):
    """A copy of self to write into and the index and src to read, each 0-d one viewed as 1-d
    (ATen's loops do); the result is reshaped back to self's shape."""
    return np.array(_as_1d(a), copy=True), _as_1d(index), None if src is None else _as_1d(src)


def _scatter_kernel(a, src, indexarr, dim):
    _scatter_checks("scatter", a, indexarr, dim, src)
    out, index, src = _scatter_operands(a, indexarr, src)
    if index.size:
        out[_scatter_key(index, dim)] = _leading(src, index)
    return out.reshape(a.shape)


def _scatter_value_kernel(a, indexarr, dim, value):
    _scatter_checks("scatter", a, indexarr, dim, None)
    out, index, _ = _scatter_operands(a, indexarr)
    if index.size:
        out[_scatter_key(index, dim)] = value
    return out.reshape(a.shape)


def _scatter_add_kernel(a, src, indexarr, dim):
    _scatter_checks("scatter", a, indexarr, dim, src)  # (ATen's scatter_add meta names it so)
    out, index, src = _scatter_operands(a, indexarr, src)
    if index.size:
        np.add.at(out, _scatter_key(index, dim), _leading(src, index))
    return out.reshape(a.shape)


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


# ---- scatter(reduce='add' | 'multiply'): the legacy reductions, which have no derivative ------------
def _legacy_reduce_check(reduce):
    def check():
        if reduce not in ("add", "multiply"):
            raise RuntimeError(messages.SCATTER_LEGACY_REDUCE)
    return check


def _scatter_legacy_kernel(a, src, indexarr, dim, reduce):
    _scatter_checks("scatter", a, indexarr, dim, src, _legacy_reduce_check(reduce))
    out, indexarr, src = _scatter_operands(a, indexarr, src)
    if indexarr.size:
        ufunc = np.add if reduce == "add" else np.multiply
        ufunc.at(out, _scatter_key(indexarr, dim), _leading(src, indexarr))
    return out.reshape(a.shape)


def _scatter_value_legacy_kernel(a, indexarr, dim, value, reduce):
    _scatter_checks("scatter", a, indexarr, dim, None, _legacy_reduce_check(reduce))
    out, indexarr, _ = _scatter_operands(a, indexarr)
    if indexarr.size:
        ufunc = np.add if reduce == "add" else np.multiply
        # the Scalar is converted to self's dtype before reducing (2.5 adds 2 to an int tensor)
        ufunc.at(out, _scatter_key(indexarr, dim), np.asarray(value).astype(a.dtype))
    return out.reshape(a.shape)


def _no_derivative(name):
    def formula(c, g):
        raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name=name))
    return formula


def _legacy_ops(aten_name):
    """The tensor-src and value variants; the error names the out-of-place or in-place aten op."""
    tensor_src = Op("scatter", _scatter_legacy_kernel, node="NotImplemented", inputs=("self", "src"),
                    promote=None, grads=dict.fromkeys(("self", "src"), _no_derivative(aten_name)))
    value = Op("scatter", _scatter_value_legacy_kernel, node="NotImplemented", promote=None,
               grads={"self": _no_derivative(aten_name)})
    for op in (tensor_src, value):
        op.node_cls.name = lambda self: "torch::autograd::NotImplemented"
    return tensor_src, value


SCATTER_LEGACY, SCATTER_VALUE_LEGACY = _legacy_ops("aten::scatter")
SCATTER_LEGACY_, SCATTER_VALUE_LEGACY_ = _legacy_ops("aten::scatter_")


def _strip_none_edges(node):
    # torch's NotImplemented node has edges only to the inputs that require grad
    if node is not None and type(node).__name__ == "NotImplemented":
        node.next_functions = tuple(e for e in node.next_functions if e[0] is not None)


def _scatter_args(self, dim, index):
    index = _index_tensor(index)
    return index, _wrap_dim(dim, self._data.ndim)


def _scatter_overloads(method: bool) -> str:
    lines = []
    for arg in ("Tensor src", "Number value"):
        for with_reduce in (False, True):
            tail = (["str reduce"] if with_reduce else []) + ([] if method else ["Tensor out = None"])
            sig = ("" if method else "Tensor input, ") + "int dim, Tensor index, " + arg
            lines.append(f" * ({sig}{', *, ' + ', '.join(tail) if tail else ''})\n")
    return "".join(lines)


def _arg_label(x) -> str:
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _check_scatter_signature(name, method, dim, index, src, value, reduce):
    """torch's argument parser for scatter/scatter_: exactly one of src (a Tensor) and value (a
    Number), reduce a str. Otherwise its TypeError listing the overloads."""
    number = isinstance(src if value is None else value, (int, float, complex, np.number))
    ok = (src is None) != (value is None) and (isinstance(src, Tensor) or number) \
        and (reduce is None or isinstance(reduce, str))
    if ok:
        return
    got = ([] if method else ["Tensor"]) + [_arg_label(dim), _arg_label(index)]
    if src is not None:
        got.append(_arg_label(src))
    got += [f"{k}={_arg_label(v)}" for k, v in (("value", value), ("reduce", reduce)) if v is not None]
    options = _scatter_overloads(method)
    raise TypeError(messages.INVALID_ARGS_ONE_OF.format(fn=name, got=", ".join(got), options=options))


def _scatter(self, dim, index, src, value, reduce, inplace, method=True):
    _check_scatter_signature("scatter_" if inplace else "scatter", method, dim, index, src, value, reduce)
    index, d = _scatter_args(self, dim, index)
    if src is None:
        src = value
    tensor_src = isinstance(src, Tensor)
    if reduce is None:
        op, args, attrs = (SCATTER, (src,), {}) if tensor_src else (SCATTER_VALUE, (), {"value": src})
        saved = {"index": index}
    else:
        if tensor_src:
            from .shape import _warn_once
            _warn_once(messages.W_SCATTER_REDUCE_DEPRECATED)
        ops = (SCATTER_LEGACY_, SCATTER_VALUE_LEGACY_) if inplace else (SCATTER_LEGACY, SCATTER_VALUE_LEGACY)
        op, args, attrs = (ops[0], (src,), {"reduce": reduce}) if tensor_src else \
            (ops[1], (), {"value": src, "reduce": reduce})
        saved = None
    if inplace:
        before = _raw_fn(self)
        _inplace(op, self, *args, indexarr=index._data, dim=d, saved=saved, **attrs)
        if reduce is not None:
            _strip_none_edges(_recorded_node(self, before))
        return self
    out = _call(op, self, *args, indexarr=index._data, dim=d, saved=saved, **attrs)
    if reduce is not None:
        _strip_none_edges(out._grad_fn)
    return out


def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    return _scatter(self, dim, index, src, value, reduce, True)


def scatter(self, dim, index, src=None, *, value=None, reduce=None, _method=False):
    return _scatter(self, dim, index, src, value, reduce, False, _method)


def _check_src_tensor(fname, src, position, argname="src"):
    if not isinstance(src, Tensor):
        raise TypeError(messages.ARG_MUST_BE_TENSOR.format(fname=fname, argname=argname, position=position,
                                                           type=_type_name(src)))


def _index_if_grad(source, index):
    """Ops whose self gradient is grad itself (scatter_add, index_add): torch saves the index only
    for the source's gradient."""
    return {"index": index} if _views.requires_grad(source) else None


def scatter_add_(self, dim, index, src):
    _check_src_tensor("scatter_add_", src, 3)
    index, d = _scatter_args(self, dim, index)
    return _inplace(SCATTER_ADD, self, src, indexarr=index._data, dim=d, saved=_index_if_grad(src, index))


def scatter_add(self, dim, index, src, *, _method=False):
    _check_src_tensor("scatter_add", src, 3 if _method else 4)
    index, d = _scatter_args(self, dim, index)
    return _call(SCATTER_ADD, self, src, indexarr=index._data, dim=d, saved=_index_if_grad(src, index))


# ---- scatter_reduce(_): sum, prod, mean, amax, amin, with or without self ---------------------------
_REDUCTIONS = {"sum": np.add, "prod": np.multiply, "mean": np.add, "amax": np.maximum, "amin": np.minimum}
_ALIASES = {"max": "amax", "min": "amin"}  # ATen's kernel accepts these; its backward does not


def _reduce_identity(reduce, dtype):
    """What an element scattered to starts from when include_self=False (ATen's init values)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype == np.bool_:
        return reduce == "amin"
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _scatter_reduce_kernel(a, src, indexarr, dim, reduce, include_self):
    def check():
        if reduce not in _REDUCTIONS and reduce not in _ALIASES:
            raise RuntimeError(messages.SCATTER_REDUCE_ARG.format(reduce=reduce))
    _scatter_checks("scatter", a, indexarr, dim, src, check)
    reduce = _ALIASES.get(reduce, reduce)
    if reduce == "mean" and a.dtype == np.bool_:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel="scatter_gather_tensor_cpu_reduce_mean", dtype="Bool"))
    shape = a.shape
    out, indexarr, src = _scatter_operands(a, indexarr, src)
    if not indexarr.size:
        return out.reshape(shape)
    key = _scatter_key(indexarr, dim)
    if not include_self:
        out[key] = _reduce_identity(reduce, a.dtype)
    _REDUCTIONS[reduce].at(out, key, _leading(src, indexarr))  # in index order, as ATen's CPU loop
    if reduce == "mean":
        count = np.full(out.shape, 1 if include_self else 0, dtype=a.dtype)
        np.add.at(count, key, np.ones((), dtype=a.dtype))
        count[count == 0] = 1
        # integers divide with rounding_mode="floor", as ATen
        out = np.floor_divide(out, count) if a.dtype.kind in "iu" else out / count
    return out.astype(a.dtype, copy=False).reshape(shape)


def _scatter_reduce_grad(c, g, self, src, result, which):
    """FunctionsManual scatter_reduce_backward, in numtorch ops (so double backward records);
    `which` is 0 for self's gradient, 1 for src's."""
    from .creation import ones_like, zeros_like
    from .pointwise import where
    dim, index, reduce = c.dim, c.index, c.reduce
    if reduce not in _REDUCTIONS:
        raise RuntimeError(messages.SCATTER_REDUCE_BACKWARD_ARG.format(reduce=reduce))
    if reduce == "sum":
        grad = g if which == 0 else gather(g, dim, index)
    elif reduce == "prod":
        if which == 0:
            # explicitly exclude the zeros of self from the product they are divided out of
            masked_self = masked_fill(self, self == 0, 1)
            grad = g * scatter_reduce(masked_self, dim, index, src, reduce, include_self=c.include_self) \
                / masked_self
        else:
            src_zero = src == 0
            src_num_zeros = gather(scatter_add(zeros_like(self), dim, index, src_zero.to(self.dtype)),
                                   dim, index)
            src_single_zero = src_zero & (src_num_zeros == 1)
            # where src holds the only zero of its target, the product without it is recomputed
            masked_src_result = scatter_reduce(self, dim, index, masked_fill(src, src_single_zero, 1), reduce,
                                               include_self=c.include_self)
            grad = where(src_single_zero, gather(g * masked_src_result, dim, index),
                         gather(g * result, dim, index) / masked_fill(src, src_zero, 1))
            from .._core.state import STATE
            if STATE.grad_enabled and bool((src_num_zeros._data > 1).any()):
                from .._autograd.custom_function import delayed_error
                grad = delayed_error(messages.SCATTER_REDUCE_PROD_DOUBLE_BACKWARD, (grad,))[0]
    elif reduce == "mean":
        n = ones_like(g) if c.include_self else zeros_like(g)
        n = scatter_add(n, dim, index, ones_like(src))
        n = masked_fill(n, n == 0, 1)
        grad = g / n if which == 0 else gather(g, dim, index) / gather(n, dim, index)
    else:  # amax / amin: the gradient is shared evenly between the elements equal to the result
        value = gather(result, dim, index)
        self_is_result = self == result
        src_is_value = src == value
        n = scatter_add(self_is_result.to(self.dtype), dim, index, src_is_value.to(self.dtype))
        distributed = g / n
        grad = self_is_result * distributed if which == 0 else src_is_value * gather(distributed, dim, index)
    if which == 0 and not c.include_self:
        grad = scatter(grad, dim, index, 0)
    return grad


SCATTER_REDUCE = Op("scatter_reduce", _scatter_reduce_kernel, node="ScatterReduceBackward0",
                    inputs=("self", "src"), promote=None,
                    grads={"self": lambda c, g: _scatter_reduce_grad(c, g, c.self, c.src, c.result, 0),
                           "src": lambda c, g: _scatter_reduce_grad(c, g, c.self, c.src, c.result, 1)})


def _scatter_reduce_args(fname, src, include_self, method):
    _check_src_tensor(fname, src, 3 if method else 4)
    if not isinstance(include_self, (bool, np.bool_)):
        raise TypeError(messages.ARG_MUST_BE_BOOL.format(fname=fname, argname="include_self",
                                                         type=_type_name(include_self)))


def scatter_reduce(self, dim, index, src, reduce, *, include_self=True, _method=False):
    _scatter_reduce_args("scatter_reduce", src, include_self, _method)
    index, d = _scatter_args(self, dim, index)
    return _call(SCATTER_REDUCE, self, src, indexarr=index._data, dim=d, reduce=reduce,
                 include_self=bool(include_self), saved={"index": index})


def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    _scatter_reduce_args("scatter_reduce_", src, include_self, True)
    index, d = _scatter_args(self, dim, index)
    return _inplace(SCATTER_REDUCE, self, src, indexarr=index._data, dim=d, reduce=reduce,
                    include_self=bool(include_self), saved={"index": index})


def _gather_kernel(a, indexarr, dim):
    index = indexarr
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if _nonempty_dim(index) != _nonempty_dim(a):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d in range(_nonempty_dim(index)):
        if d != dim and _nonempty_size(index, d) > _nonempty_size(a, d):
            raise RuntimeError(f"Size does not match at dimension {d} expected index "
                               f"{_shape_list(index.shape)} to be no larger than self {_shape_list(a.shape)} "
                               f"apart from dimension {dim}")
    n = a.shape[dim] if a.ndim else 1
    bad = (index >= n) | (index < 0)
    if bad.any():
        raise RuntimeError(f"index {int(index[bad].reshape(-1)[0])} is out of bounds for dimension {dim} "
                           f"with size {n}")
    # out[i][j] = a[i][index[i][j]] over index's own shape (0-d operands read as 1-d)
    return _as_1d(a)[_scatter_key(_as_1d(index), dim)].reshape(index.shape)


def _gather_grad(c, g, self):
    # self is named so that the node saves it, as torch's (gather_backward reads self's sizes).
    # FunctionsManual gather_backward: grad.new_zeros(self.sizes()).scatter_add_(dim, index, grad),
    # so the node is ScatterAddBackward0 with no edge for the zeros
    from .creation import zeros
    result = zeros(c.shapes[0], dtype=g.dtype)
    return _call(SCATTER_ADD, result, g, indexarr=c.indexarr, dim=c.dim, saved={"index": c.index})


GATHER = Op("gather", _gather_kernel, node="GatherBackward0", promote=None,
            grads={"self": lambda c, g: _gather_grad(c, g, c.self)})


def gather(self, dim, index, *, sparse_grad=False):
    index = _index_tensor(index)
    d = _wrap_dim(dim, self._data.ndim)
    return _call(GATHER, self, indexarr=index._data, dim=d, saved={"index": index})


def scatter_values(shape, dim, index, g):
    """FunctionsManual value_selecting_reduction_backward (max/min(dim), sort, topk): grad put at
    the selected indices of zeros, by zeros.scatter(dim, indices, grad). So the node is
    ScatterBackward0, and a saved indices tensor whose .data was replaced by a float tensor meets
    scatter's own index dtype check, as in torch."""
    from .creation import zeros
    return scatter(zeros(tuple(shape), dtype=g.dtype), dim, index, g)


def _index_select_kernel(a, indexarr, dim):
    index = indexarr
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    n = a.shape[dim] if a.ndim else 1
    flat = index.reshape(-1)
    if a.ndim == 0 and flat.size != 1:
        raise RuntimeError(messages.INDEX_SELECT_SCALAR.format(count=flat.size))
    if a.ndim > 1 and n == 0 and flat.size:
        raise RuntimeError(messages.INDEX_SELECT_EMPTY_DIM)
    if flat.size and ((flat >= n) | (flat < 0)).any():  # no wrapping of negative indices here
        if a.ndim > 1 and (dim == 1 or a.size == 0):  # ATen's index_select_out_cpu_dim1_ kernel
            bad = flat[(flat >= n) | (flat < 0)][0]
            raise RuntimeError(messages.INDICES_OUT_OF_DATA.format(id=int(bad), n=n))
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
    try:
        shape = np.broadcast_shapes(a.shape, maskarr.shape)
    except ValueError:
        from .dispatch import _check_broadcast
        _check_broadcast([maskarr, a])  # torch expands (mask, self): the mask is tensor a
        raise
    return np.broadcast_to(a, shape)[np.broadcast_to(maskarr, shape)]


def _masked_select_grad(c, g, self):
    # self is named so that the node saves it, as torch's masked_select_backward(grad, self, mask)
    # FunctionsManual masked_select_backward: zeros_like(input.expand(...)).masked_scatter_(mask, grad),
    # a MaskedScatterBackward0 node with no edge for the zeros
    from .creation import zeros
    from .dispatch import _check_broadcast
    # infer_size(input, mask): a mask whose .data was replaced after forward may not broadcast
    _check_broadcast([np.broadcast_to(np.False_, c.shapes[0]), c.maskarr])
    result = zeros(np.broadcast_shapes(c.shapes[0], c.maskarr.shape), dtype=g.dtype)
    return MASKED_SCATTER_SOURCE(result, g, maskarr=c.maskarr)


MASKED_SELECT = Op("masked_select", _masked_select_kernel, node="MaskedSelectBackward0", promote=None,
                   grads={"self": lambda c, g: _masked_select_grad(c, g, c.self)})


def masked_select(self, mask):
    return _call(MASKED_SELECT, self, maskarr=mask._data, saved={"mask": mask})


# ---- masked_scatter(_) ----------------------------------------------------------------------------
def _masked_scatter_source_kernel(a, source, maskarr, inplace=False):
    if a.dtype != source.dtype:
        raise RuntimeError(messages.MASKED_SCATTER_DTYPES.format(self=_dtype_short(a),
                                                                 source=_dtype_short(source)))
    if maskarr.dtype != np.bool_:
        raise RuntimeError(messages.MASKED_SCATTER_MASK_DTYPE.format(dtype=_dtype_short(maskarr)))
    if inplace:
        shape = a.shape
        out = a.copy()
    else:
        shape = np.broadcast_shapes(a.shape, maskarr.shape)
        out = np.array(np.broadcast_to(a, shape), copy=True)
    mask = np.broadcast_to(maskarr, shape)
    count = int(np.count_nonzero(mask))
    if source.size < count:
        raise RuntimeError(messages.MASKED_SCATTER_SOURCE_SIZE)
    out[mask] = source.reshape(-1)[:count]  # in row-major order of the mask, as ATen
    return out


def _masked_scatter_source_grad(c, g):
    # FunctionsManual masked_scatter_backward: the selected gradient, zero-padded to source's size
    from .creation import zeros
    from .joining import cat
    picked = MASKED_SELECT(g, maskarr=c.maskarr)
    numel = int(np.prod(c.shapes[1], dtype=np.int64))
    missing = numel - picked.numel()
    if missing > 0:
        picked = cat([picked, zeros(missing, dtype=g.dtype)], 0)
    return S.view(picked, c.shapes[1])


MASKED_SCATTER_SOURCE = Op("masked_scatter", _masked_scatter_source_kernel, node="MaskedScatterBackward0",
                           inputs=("self", "source"), promote=None,
                           grads={"self": lambda c, g: MASKED_FILL(g, maskarr=c.maskarr, value=0),
                                  "source": _masked_scatter_source_grad})


def _masked_scatter_check_broadcast(self, mask, inplace):
    if inplace:
        S.expand(mask, *self.shape)  # torch's expand_inplace: its errors, nothing else
        return
    try:
        np.broadcast_shapes(self._data.shape, mask._data.shape)
    except ValueError:
        from .dispatch import _check_broadcast
        _check_broadcast([mask._data, self._data])
        raise


def masked_scatter(self, mask, source, *, _method=False):
    _check_src_tensor("masked_scatter", source, 2 if _method else 3, "source")
    _masked_scatter_check_broadcast(self, mask, False)
    return _call(MASKED_SCATTER_SOURCE, self, source, maskarr=mask._data, saved={"mask": mask})


def masked_scatter_(self, mask, source):
    _check_src_tensor("masked_scatter_", source, 2, "source")
    if self._data.dtype == source._data.dtype and mask._data.dtype == np.bool_:
        _masked_scatter_check_broadcast(self, mask, True)
    return _inplace(MASKED_SCATTER_SOURCE, self, source, maskarr=mask._data, inplace=True,
                    saved={"mask": mask})
