"""Indexing as torch/csrc/autograd/python_variable_indexing.cpp does it.

`x[key]`: ints, slices, None, Ellipsis and bools become select/slice/unsqueeze views (a key that
selects the whole tensor gives `alias`), tensors and sequences are collected into one advanced
index (IndexBackward0, a copy). `x[key] = v`: the same slicing, then `copy_`/`fill_` into the
view (CopySlices on the base) or one `index_put_` (IndexPutBackward0). Index tensors are saved by
the nodes that use them, so writing them in place later fails backward's version check.
Also index_put_, fill_/zero_ and the flat index ops behind AsStridedBackward0 and CopySlices;
the ops taking index/mask tensors (masked_fill, scatter, gather, ...) live in scatter.py."""
from __future__ import annotations

import operator
import warnings

import numpy as np

from .._autograd import views as _views
from .._core import messages
from .._tensor import Tensor
from . import shape as S
from .dispatch import Op, wrap_scalar
from .scatter import (_call, _inplace, _masked_fill_kernel, _save, _shape_list,  # noqa: F401
                      _type_name, gather, index_add, index_add_, index_select, masked_fill,
                      masked_fill_, masked_select, scatter, scatter_, scatter_add, scatter_add_,
                      scatter_values)

_INDEX_MAX = 2 ** 63 - 1


# ---- flat index helpers (AsStrided / CopySlices backward), mutually differentiable ---------------
# An index of -1 marks an element outside the tensor (as_strided reaching past it): it is dropped.
def _scatter_flat_kernel(g, index, shape):
    out = np.zeros(int(np.prod(shape)) if shape else 1, dtype=g.dtype)
    idx, src = index.reshape(-1), g.reshape(-1)
    keep = idx >= 0
    np.add.at(out, idx[keep], src[keep])
    return out.reshape(shape)


def _gather_flat_kernel(a, index):
    flat = a.reshape(-1)
    if index.size and index.min() < 0:
        return np.where(index >= 0, flat[np.maximum(index, 0)], 0).astype(a.dtype)
    return flat[index]


GATHER_FLAT = Op("_gather_flat", _gather_flat_kernel, node="AsStridedBackward0", promote=None,
                 grads={"self": lambda c, g: SCATTER_FLAT(g, index=c.index, shape=c.shapes[0])})
SCATTER_FLAT = Op("_scatter_flat", _scatter_flat_kernel, node="AsStridedBackwardBackward0", promote=None,
                  grads={"self": lambda c, g: GATHER_FLAT(g, index=c.index)})


def _put_flat_kernel(a, v, index):
    out = np.array(a, copy=True, order="C")  # C order: reshape(-1) below must be a view
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


# ---- advanced indices -------------------------------------------------------------------------
def _check_index_dtype(idx: Tensor) -> None:
    if idx._dtype.name not in ("int64", "int32", "uint8", "bool"):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _mask_error(mask_shape, j, shape, src) -> IndexError:
    return IndexError(f"The shape of the mask {_shape_list(mask_shape)} at index {j} does not match the "
                      f"shape of the indexed tensor {_shape_list(shape)} at index {src}")


def _expand_indices(shape, indices):
    """ATen's expandTensors + broadcast: masks become their nonzero() index arrays; returns a
    numpy key (slices for unindexed dims) and checks mask shapes, broadcasting and bounds."""
    result = []
    for idx in indices:
        if idx is None:
            result.append(None)
            continue
        _check_index_dtype(idx)
        if idx._dtype.name in ("bool", "uint8"):
            if idx._dtype.name == "uint8":
                warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                              "torch.bool instead.", UserWarning, stacklevel=4)
            for j in range(idx._data.ndim):
                src = len(result) + j
                if src >= len(shape) or idx._data.shape[j] != shape[src]:
                    raise _mask_error(idx._data.shape, j, shape, src)
            result.extend(np.nonzero(idx._data))
        else:
            result.append(idx._data)
    if len(result) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (got {len(result)})")
    arrays = [a for a in result if a is not None]
    try:
        bshape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                         + ", ".join(_shape_list(a.shape) for a in arrays)) from None
    result = _check_bounds(shape, result, bshape)
    key = tuple(slice(None) if a is None else a for a in result)
    return key


def _check_bounds(shape, result, bshape) -> list:
    """ATen's AdvancedIndex checks: an indexed dim of size 0 with a non-empty index is an error
    whatever the values; other bounds are checked by the kernel per output element, so nothing is
    checked when the result is empty (then the index arrays are zeroed, for numpy's sake)."""
    dims = [d for d, a in enumerate(result) if a is not None]
    if 0 in bshape:
        return result
    if any(shape[d] == 0 for d in dims):
        raise IndexError(messages.INDEX_EMPTY_DIM)
    bad_any = None
    bads = []
    for d in dims:
        a = np.broadcast_to(result[d], bshape)
        bad = (a >= shape[d]) | (a < -shape[d])
        bads.append((d, a, bad))
        bad_any = bad if bad_any is None else bad_any | bad
    if bad_any is None or not bad_any.any():
        return result
    if any(shape[d] == 0 for d in range(len(shape)) if d >= len(result) or result[d] is None):
        return [None if a is None else np.zeros_like(a) for a in result]  # an empty result
    first = np.unravel_index(int(np.argmax(bad_any.reshape(-1))), bshape) if bshape else ()
    for k, (d, a, bad) in enumerate(bads):
        if bad[first]:  # ATen's index kernel numbers the dimension among the indexed ones
            raise IndexError(f"index {int(a[first])} is out of bounds for dimension {k} with size {shape[d]}")


def _contiguous(values):
    """A C-contiguous result with torch's strides: numpy's fancy indexing may leave a size-1 dim
    any stride (its flags still say C-contiguous), which stride() and matmul's should_fold read."""
    out = np.ascontiguousarray(values)
    if 1 in out.shape and out.size > 1:
        expected, step = [], out.itemsize
        for n in reversed(out.shape):
            expected.append(step)
            step *= n
        if out.strides != tuple(reversed(expected)):
            out = out.copy()  # a fresh C-order array: canonical strides
    return out


def _index_kernel(a, key):
    out = a[key]
    if a.flags.c_contiguous and 1 not in a.shape and all(k.ndim <= 1 for k in key if type(k) is not slice):
        return _contiguous(out)  # (then torch's output is contiguous too)
    return _index_layout(a, key, out)


def _view_strides(oldshape, oldstride, newshape):
    """ATen's computeStride for a view that only inserts size-1 dims (always possible)."""
    if not oldshape:
        return (1,) * len(newshape)
    newstride = [0] * len(newshape)
    view_d = len(newshape) - 1
    chunk = oldstride[-1]
    tensor_numel = view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (oldshape[tensor_d - 1] != 1 and oldstride[tensor_d - 1] != tensor_numel * chunk):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk
                view_numel *= newshape[view_d]
                view_d -= 1
            if tensor_d > 0:
                chunk = oldstride[tensor_d - 1]
                tensor_numel = view_numel = 1
    return tuple(newstride)


def _index_layout(a, key, values):
    """`values` laid out as ATen's index output: a TensorIterator over src restrided (the indexed
    dims, moved to the front when not adjacent, replaced by the index shape with stride 0) and
    the broadcast index tensors, whose output follows the operands' stride order
    (reorder_dimensions' insertion sort; contiguous only when that order is the natural one)."""
    dims = [d for d, k in enumerate(key) if type(k) is not slice]
    if not dims:
        return _contiguous(values)
    arrays = [key[d] for d in dims]
    bshape = np.broadcast_shapes(*(k.shape for k in arrays))
    if dims != list(range(dims[0], dims[-1] + 1)):  # transposeToFront
        rest = [d for d in range(a.ndim) if d not in dims]
        a = a.transpose(dims + rest)
        dims = list(range(len(dims)))
    before, after = dims[0], a.ndim - dims[-1] - 1
    shape = values.shape
    nb = len(bshape)
    src = a.strides[:before] + (0,) * nb + (a.strides[a.ndim - after:] if after else ())
    ops = [src]
    for k in arrays:  # reshape_indexer: the expanded index viewed with 1s around it
        ks = _view_strides(bshape, np.broadcast_to(k, bshape).strides, (1,) * before + bshape + (1,) * after)
        ops.append(tuple(0 if n != 1 and d not in range(before, before + nb) else st
                         for d, (n, st) in enumerate(zip(shape, ks))))
    n = len(shape)

    def should_swap(d0, d1):
        for st in ops:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 < s1:
                return -1
            if s0 > s1:
                return 1
            if shape[d0] > shape[d1]:
                return 1
        return 0
    from .layout import _sorted_dims
    perm = _sorted_dims(n, should_swap)
    if perm == list(range(n - 1, -1, -1)):
        return _contiguous(values)
    outer = perm[::-1]
    out = np.empty(tuple(shape[d] for d in outer), dtype=values.dtype).transpose(np.argsort(outer))
    np.copyto(out, values)
    return out


def _index_put_impl_kernel(a, values, key):
    out = np.array(a, copy=True)
    np.add.at(out, key, values)
    return out


def _index_backward(c, g):
    """FunctionsManual index_backward: at::_index_put_impl_(zeros, indices, grad, accumulate=True,
    unsafe=True), in place on new zeros. So the gradient is at _version 1 and, under create_graph,
    its node is IndexPutImplBackward0 with a None edge for the zeros."""
    from .creation import zeros
    shape = tuple(c.shapes[0])
    key = c.key
    if hasattr(c, "indices0"):
        # torch passes the saved index tensors, read now: a later `index.data = ...` is what
        # index_put_ sees here, with its checks (dtype, mask shape, bounds, value shape)
        indices, i = [], 0
        while hasattr(c, f"indices{i}"):
            indices.append(getattr(c, f"indices{i}"))
            i += 1
        key = _expand_indices(shape, indices)
        _check_put_shape(shape, key, g._data.shape)
    out = zeros(shape, dtype=g.dtype)
    return INDEX_PUT_IMPL.inplace(out, g, key=key)


INDEX = Op("index", _index_kernel, node="IndexBackward0", promote=None, grads={"self": _index_backward})
# derivatives.yaml _index_put_impl_ with accumulate=True: self gets grad, values grad.index(indices)
INDEX_PUT_IMPL = Op("_index_put_impl_", _index_put_impl_kernel, node="IndexPutImplBackward0",
                    inputs=("self", "values"), promote=None,
                    grads={"self": lambda c, g: g, "values": lambda c, g: INDEX(g, key=c.key)})


def index(self, indices):
    """at::index with a positional list of index tensors (None: the whole dimension)."""
    try:
        key = _expand_indices(self._data.shape, indices)
    except Exception:
        _views.touch_grad_fn(self)  # the index kernel's checks come after autograd's (E35/E37 first)
        raise
    out = INDEX(self, key=key)
    node = out._grad_fn
    if node is not None:
        for i, t in enumerate(indices):  # None too: backward rebuilds the index list from them
            node.save(f"indices{i}", t)
    return out


# ---- __getitem__ / __setitem__ slicing --------------------------------------------------------
def _is_int(k) -> bool:
    return isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))


def _invalid_index(obj):
    return IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                      f"are valid indices (got {_type_name(obj)})")


def _select(t, dim, index, real_dim):
    """applySelect: bounds checked against the tuple position of the index (real_dim)."""
    nd = t._data.ndim
    if index == 0 and dim == 0 and nd == 0:
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    size = t._data.shape[dim] if dim < nd else 0
    if not (size > -1 - index and size > index):
        raise IndexError(f"index {index} is out of bounds for dimension {real_dim} with size {size}")
    return S.select(t, dim, index)


def _slice_parts(s: slice):
    step = 1 if s.step is None else operator.index(s.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    start = (_INDEX_MAX if step < 0 else 0) if s.start is None else operator.index(s.start)
    stop = (-_INDEX_MAX - 1 if step < 0 else _INDEX_MAX) if s.stop is None else operator.index(s.stop)
    return start, stop, step


def _slice(t, dim, s: slice, disable_optimization: bool):
    """applySlice: a slice covering the whole dimension returns t itself, unless disabled (a lone
    slice in __getitem__ always records SliceBackward0)."""
    start, stop, step = _slice_parts(s)
    if step <= 0:
        raise ValueError("step must be greater than zero")
    if t._data.ndim > 0 and not disable_optimization and start == 0 and step == 1 \
            and t._data.shape[dim] <= stop:
        return t
    if t._data.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    return S.slice_dim(t, dim, start, stop, step)


def _bool_index(value: bool) -> Tensor:
    """boolToIndexingTensor: [0] for True, an empty index for False."""
    return Tensor._make(np.zeros(1 if value else 0, dtype=np.int64))


def _sequence_to_tensor(seq) -> Tensor:
    from .creation import tensor
    t = tensor(seq)
    if t._dtype.name not in ("bool", "uint8"):
        t = Tensor._make(t._data.astype(np.int64))
    return t


def _treat_sequence_as_tuple(index) -> bool:
    if isinstance(index, tuple):
        return True
    if isinstance(index, (Tensor, str, bytes)) or not isinstance(index, (list, np.ndarray)):
        return False
    if len(index) >= 32:
        return False
    for obj in index:
        if isinstance(obj, (Tensor, list, tuple, np.ndarray, slice)) or obj is Ellipsis or obj is None:
            return True
    return False


def _wrap_tuple(index) -> tuple:
    if _treat_sequence_as_tuple(index):
        if not isinstance(index, tuple):
            warnings.warn(
                "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
                "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will "
                "be interpreted as tensor index, x[torch.tensor(seq)], which will result either in an "
                "error or a different result", UserWarning, stacklevel=4)
        return tuple(index)
    return (index,)


def _count_specified(index: tuple) -> int:
    count = 0
    for obj in index:
        if isinstance(obj, Tensor):
            count += obj._data.ndim if obj._dtype.name in ("bool", "uint8") else 1
        elif obj is not None and obj is not Ellipsis and obj is not True and obj is not False:
            count += 1
    return count


def _record(out: list, dim: int, idx: Tensor) -> int:
    while len(out) <= dim:
        out.append(None)
    out[dim] = idx
    return dim + (idx._data.ndim if idx._dtype.name in ("bool", "uint8") else 1)


def _apply_slicing(self, index: tuple):
    """applySlicing: returns (the sliced view or self, positional list of index tensors)."""
    specified = _count_specified(index)
    nd = self._data.ndim
    if specified > nd:
        raise IndexError(f"too many indices for tensor of dimension {nd}")
    result, dim, out = self, 0, []
    for i, obj in enumerate(index):
        if _is_int(obj):
            result = _select(result, dim, int(obj), i)
        elif isinstance(obj, slice):
            result = _slice(result, dim, obj, False)
            dim += 1
        elif obj is Ellipsis:
            dim += nd - specified
        elif obj is None:
            result = S.unsqueeze(result, dim)
            dim += 1
        elif isinstance(obj, (bool, np.bool_)):
            result = S.unsqueeze(result, dim)
            dim = _record(out, dim, _bool_index(bool(obj)))
        elif isinstance(obj, Tensor):
            name = obj._dtype.name
            if obj._data.ndim == 0 and obj._dtype.category <= 1:
                if name in ("bool", "uint8"):
                    result = S.unsqueeze(result, dim)
                    dim = _record(out, dim, _bool_index(bool(obj._data)))
                else:
                    result = _select(result, dim, int(obj._data), i)
            else:
                dim = _record(out, dim, obj)
        elif isinstance(obj, (list, tuple, np.ndarray)):
            dim = _record(out, dim, _sequence_to_tensor(obj))
        else:
            try:
                k = operator.index(obj)
            except TypeError:
                raise _invalid_index(obj) from None
            result = _select(result, dim, k, i)
    return result, out


def getitem(self, key):
    if key is None:
        return S.unsqueeze(self, 0)
    if key is Ellipsis:
        return S.alias(self)
    if _is_int(key):
        return _select(self, 0, int(key), 0)
    if isinstance(key, slice):
        return _slice(self, 0, key, True)
    if key is True or key is False:
        result = S.unsqueeze(self, 0)
        return index(result, [_bool_index(key)])
    sliced, indices = _apply_slicing(self, _wrap_tuple(key))
    if not indices:
        return S.alias(sliced) if sliced is self else sliced
    return index(sliced, indices)


def _value_to_tensor(self, value) -> Tensor:
    """valueToTensor: a Python number becomes a 0-d tensor of self's dtype."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, complex, np.integer, np.floating, np.bool_)):
        return Tensor._make(np.array(value).astype(self._dtype.np))
    raise TypeError(f"can't assign a {_type_name(value)} to a {self.type()}")


def _strip_leading_ones(shape):
    shape = tuple(shape)
    i = 0
    while i < len(shape) and shape[i] == 1:
        i += 1
    return shape[i:]


def _copy_to(dst, src) -> None:
    from .pointwise import copy_
    if tuple(dst._data.shape) == tuple(src._data.shape):
        copy_(dst, src)
    elif src._data.ndim == 0:
        fill_(dst, src)
    else:
        src_view = S.view(src, _strip_leading_ones(src._data.shape))
        if tuple(src_view._data.shape) != tuple(dst._data.shape):
            src_view = S.expand(src_view, tuple(dst._data.shape))
        copy_(dst, src_view)


def setitem(self, key, value):
    value = _value_to_tensor(self, value)
    if key is False:
        return
    if key is Ellipsis:
        _copy_to(self, value)
        return
    if key is None or key is True:
        _copy_to(S.unsqueeze(self, 0), value)
        return
    if _is_int(key):
        _copy_to(_select(self, 0, int(key), 0), value)
        return
    if isinstance(key, slice):
        _copy_to(_slice(self, 0, key, False), value)
        return
    sliced, indices = _apply_slicing(self, _wrap_tuple(key))
    if not indices:
        _copy_to(sliced, value)
        return
    stripped = _strip_leading_ones(value._data.shape)
    if stripped != tuple(value._data.shape):
        value = S.view(value, stripped)
    _index_put(sliced, indices, value, False)


# ---- index_put_ ---------------------------------------------------------------------------------
def _overlap_status(a: np.ndarray, b: np.ndarray) -> str:
    """ATen's get_overlap_status for two arrays: 'no', 'full', 'partial' or 'too_hard'."""
    if a.size == 0 or b.size == 0:
        return "no"
    if not (_views._non_overlapping_and_dense(a) and _views._non_overlapping_and_dense(b)):
        return "too_hard"
    from .._tensor import _root_array
    if _root_array(a) is not _root_array(b):
        return "no"
    a0, b0 = a.__array_interface__["data"][0], b.__array_interface__["data"][0]
    a1, b1 = a0 + a.nbytes, b0 + b.nbytes
    if a0 == b0 and a1 == b1:
        return "full" if S._strides(a) == S._strides(b) else "partial"
    return "partial" if a0 < b1 and b0 < a1 else "no"


def _assert_no_overlap(a, b) -> None:
    if _overlap_status(a, b) in ("full", "partial"):
        raise RuntimeError(messages.PARTIAL_OVERLAP)


def _check_put_shape(shape, key, values_shape) -> tuple:
    """index_put_'s check that the values broadcast to the indexed part; returns its shape."""
    target_shape = np.empty(shape, dtype=np.bool_)[key].shape
    try:
        np.broadcast_shapes(values_shape, target_shape)
        ok = len(values_shape) <= len(target_shape) and np.broadcast_shapes(values_shape, target_shape) \
            == target_shape
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(f"shape mismatch: value tensor of shape {_shape_list(values_shape)} cannot be "
                           f"broadcast to indexing result of shape {_shape_list(target_shape)}")
    return target_shape


def _index_put_kernel(a, values, accumulate, index_tensors, inplace=True):
    indices = list(index_tensors)
    if len(indices) > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim} (got {len(indices)})")
    if inplace and _views.has_internal_overlap(a):
        warnings.warn("Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor "
                      "before performing this operation. This also applies to advanced indexing e.g. "
                      "tensor[indices] = tensor", UserWarning, stacklevel=5)
    if not accumulate and inplace:
        mask = _masked_fill_dispatch(a, indices, values)
        if mask is not None:  # ATen's canDispatchToMaskedFill: one mask index, one value
            return _masked_fill_kernel(a, mask, values.reshape(()), inplace=True)
    _assert_no_overlap(a, values)
    for t in indices:
        if t is not None:
            _assert_no_overlap(a, t._data)
    key = _expand_indices(a.shape, indices)
    target_shape = _check_put_shape(a.shape, key, values.shape)
    if values.dtype != a.dtype:
        from .._core import dtypes as dt
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{dt._BY_NP[a.dtype].short_name} for the destination and "
                           f"{dt._BY_NP[values.dtype].short_name} for the source.")
    # an expanded target is written in place, element by element, as torch's kernel does (the
    # copy-back in Op.inplace would otherwise let the last alias win)
    out = a if inplace and _views.has_internal_overlap(a) else np.array(a, copy=True)
    if accumulate:
        np.add.at(out, key, np.broadcast_to(values, target_shape))
    else:
        out[key] = values
    return out


def _masked_fill_dispatch(a, indices, values):
    """The mask (unsqueezed to a's rank) when index_put_ may run as masked_fill_, else None."""
    if values.size != 1:
        return None
    count, mask = 0, None
    for idx in indices:
        if idx is None:
            count += 1
            continue
        if idx._dtype.name not in ("bool", "uint8") or mask is not None:
            return None
        mask = idx
        for j in range(idx._data.ndim):
            src = count + j
            if src >= a.ndim or idx._data.shape[j] != a.shape[src]:
                raise _mask_error(idx._data.shape, j, a.shape, src)
        count += idx._data.ndim
    if mask is None:
        return None
    arr = mask._data.astype(np.bool_)
    return arr.reshape(arr.shape + (1,) * (a.ndim - count))


def _index_put_values_grad(c, g):
    return index(g, list(c.index_tensors))


def _index_put_self_grad(c, g):
    if c.accumulate:
        return g
    zeros = Tensor._make(np.zeros((), dtype=g._data.dtype))
    return _index_put(g, list(c.index_tensors), zeros, False, inplace=False)


INDEX_PUT = Op("index_put_", _index_put_kernel, node="IndexPutBackward0", inputs=("self", "values"),
               promote=None, grads={"self": _index_put_self_grad, "values": _index_put_values_grad})
INDEX_PUT.overlap = (False, False)  # checked by the kernel: a warning, then assert_no_overlap


def _index_put(self, indices, values, accumulate, inplace=True):
    indices = tuple(indices)
    saved = {f"indices{i}": t for i, t in enumerate(indices) if t is not None}
    if not inplace:
        return _call(INDEX_PUT, self, values, accumulate=bool(accumulate), index_tensors=indices,
                     inplace=False, saved=saved)
    return _inplace(INDEX_PUT, self, values, accumulate=bool(accumulate), index_tensors=indices, saved=saved)


def index_put_(self, indices, values, accumulate=False):
    _check_index_put_args(indices, values)
    return _index_put(self, list(indices), values, accumulate)


def _check_index_put_args(indices, values, name="index_put_"):
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"index_put_(): argument 'indices' (position 1) must be tuple of Tensors, not "
                        f"{_type_name(indices)}")
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {_type_name(t)}")
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put_(): argument 'values' (position 2) must be Tensor, not "
                        f"{_type_name(values)}")


def index_put(self, indices, values, accumulate=False):
    _check_index_put_args(indices, values)
    return _index_put(self, list(indices), values, accumulate, inplace=False)


# ---- fill_, zero_ -------------------------------------------------------------------------------
# fill_.Scalar / fill_.Tensor are FillBackward2 / FillBackward3 (0 and 1 are the out-of-place
# fill); zeros_like(grad) does not depend on grad, as derivatives.yaml has it
def _zeros_like(g):
    from .creation import zeros_like
    return zeros_like(g)


FILL = Op("fill_", lambda a, value: np.full(a.shape, value, dtype=a.dtype), node="FillBackward2",
          inputs=("self",), promote=None, grads={"self": lambda c, g: _zeros_like(g)})
FILL.overlap = (False, False)  # torch's fill_(Scalar) writes expanded tensors without complaint
FILL_T = Op("fill_", lambda a, v: np.broadcast_to(v.astype(a.dtype), a.shape), node="FillBackward3",
            inputs=("self", "value"), promote=None,
            grads={"self": lambda c, g: _zeros_like(g), "value": lambda c, g: g.sum()})
FILL_T.overlap = (True, False)
ZERO = Op("zero_", lambda a: np.zeros_like(a), node="ZeroBackward0", promote=None,
          grads={"self": lambda c, g: _zeros_like(g)})
ZERO.overlap = (False, False)


def fill_(self, value):
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return FILL_T.inplace(self, value)
    return FILL.inplace(self, value=value)


def zero_(self):
    return ZERO.inplace(self)


# ---- nonzero, flip ----------------------------------------------------------------------------
def nonzero(self, *, as_tuple=False):
    if self._data.ndim == 0:  # a 0-d tensor is one element with no index columns
        idx = np.nonzero(self._data.reshape(1))
        if as_tuple:
            return (Tensor._make(idx[0].astype(np.int64)),)
        return Tensor._make(np.zeros((idx[0].size, 0), np.int64))
    idx = np.nonzero(self._data)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in idx)
    # ATen's nonzero result is column-major: strides (1, n)
    return Tensor._make(np.asfortranarray(np.stack(idx, axis=1).astype(np.int64)) if idx
                        else np.zeros((1, 0), np.int64))


FLIP = Op("flip", lambda a, dims: np.flip(a, dims).copy(), node="FlipBackward0", promote=None,
          grads={"self": lambda c, g: FLIP(g, dims=c.dims)})
