"""Geometry of views: each kernel computes the result's sizes, strides and storage offset with
ATen's rules and returns a numpy array over the same memory (views.make_view), so stride(),
storage_offset() and data_ptr() are torch's. Strides and offsets are in elements."""
from __future__ import annotations


from .._autograd import views as _views
from .._autograd import write_guard as _wg
from .._core import messages

_strides = _views.torch_strides
_make_view = _views.make_view


# NOTE [NumPy's own views]: when an array's strides are torch's as they are (no zero stride, which
# torch_strides would reinterpret) and the write guard is off (it builds guarded views itself in
# make_view), numpy's reshape/transpose/view give the very geometry ATen computes, base and
# writeable flag as make_view's, at a fraction of its cost.
def _native(a) -> bool:
    return not _wg.TRACKED and 0 not in a.strides


def _c_layout(a) -> bool:
    """Whether a is non-empty and its strides are the C-contiguous ones, size-1 dims included
    (numpy's flag ignores those dims' strides; ATen's view carries them into the result)."""
    if not a.flags.c_contiguous or not a.size:
        return False
    if 1 not in a.shape:
        return True
    expected = a.itemsize
    for n, s in zip(reversed(a.shape), reversed(a.strides)):
        if s != expected:
            return False
        expected *= n
    return True


def compute_stride(oldshape, oldstride, newshape):
    """ATen's computeStride: strides of a view of (oldshape, oldstride) with newshape, or None
    when no view exists (the result of `view` would need a copy)."""
    if not oldshape:
        return [1] * len(newshape)
    numel = 1
    for s in oldshape:
        numel *= s
    if numel == 0 and tuple(oldshape) == tuple(newshape):
        return list(oldstride)
    newstride = [0] * len(newshape)
    if numel == 0:
        for d in range(len(newshape) - 1, -1, -1):
            newstride[d] = 1 if d == len(newshape) - 1 else max(newshape[d + 1], 1) * newstride[d + 1]
        return newstride
    view_d = len(newshape) - 1
    chunk_base_stride = oldstride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (oldshape[tensor_d - 1] != 1
                             and oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk_base_stride
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = oldstride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return newstride


def _view_kernel(a, shape):
    if not _wg.TRACKED and _c_layout(a):
        # computeStride of C-contiguous strides is the C-contiguous strides of `shape` (one chunk),
        # which is what numpy's reshape of a C-contiguous array gives (NOTE [NumPy's own views])
        return a.reshape(shape)
    strides = compute_stride(a.shape, _strides(a), shape)
    if strides is None:
        raise RuntimeError(messages.VIEW_SIZE)
    return _make_view(a, shape, strides)


def _permute_kernel(a, dims):
    if _native(a):
        return a.transpose(dims)
    st = _strides(a)
    return _make_view(a, [a.shape[d] for d in dims], [st[d] for d in dims])


def _transpose_kernel(a, dim0, dim1):
    if a.ndim == 0:
        return _alias_kernel(a)
    dims = list(range(a.ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return _permute_kernel(a, dims)


def _t_kernel(a):
    return _permute_kernel(a, (1, 0)) if a.ndim == 2 else _alias_kernel(a)


def _unsqueeze_kernel(a, dim):
    shape, st = list(a.shape), list(_strides(a))
    st.insert(dim, 1 if dim >= a.ndim else shape[dim] * st[dim])
    shape.insert(dim, 1)
    return _make_view(a, shape, st)


def _squeeze_kernel(a, dims):
    st = _strides(a)
    keep = [i for i in range(a.ndim) if not (i in dims and a.shape[i] == 1)]
    return _make_view(a, [a.shape[i] for i in keep], [st[i] for i in keep])


def _expand_kernel(a, shape):
    if a.ndim == 0:  # ATen expands a scalar with all-zero strides
        return _make_view(a, shape, [0] * len(shape))
    st = _strides(a)
    nd, lead = len(shape), len(shape) - a.ndim
    sizes, strides = [0] * nd, [0] * nd
    for i in range(nd - 1, -1, -1):
        d = i - lead
        size = a.shape[d] if d >= 0 else 1
        stride = st[d] if d >= 0 else sizes[i + 1] * strides[i + 1] if i + 1 < nd else 1
        if shape[i] != size:
            size, stride = shape[i], 0
        sizes[i], strides[i] = size, stride
    return _make_view(a, sizes, strides)


def _slice_kernel(a, dim, start, end, step):
    shape, st = list(a.shape), list(_strides(a))
    offset = start * st[dim]
    shape[dim] = (end - start + step - 1) // step
    st[dim] *= step
    return _make_view(a, shape, st, offset)


def _select_kernel(a, dim, index):
    shape, st = list(a.shape), list(_strides(a))
    offset = index * st[dim]
    del shape[dim], st[dim]
    return _make_view(a, shape, st, offset)


def _diagonal_kernel(a, offset, dim1, dim2):
    st = _strides(a)
    if offset >= 0:
        n = max(min(a.shape[dim1], a.shape[dim2] - offset), 0)
        start = offset * st[dim2] if n else 0
    else:
        n = max(min(a.shape[dim1] + offset, a.shape[dim2]), 0)
        start = -offset * st[dim1] if n else 0
    keep = [i for i in range(a.ndim) if i not in (dim1, dim2)]
    return _make_view(a, [a.shape[i] for i in keep] + [n], [st[i] for i in keep] + [st[dim1] + st[dim2]],
                      start)


def _unfold_kernel(a, dimension, size, step):
    st = _strides(a)
    if a.ndim == 0:
        return _make_view(a, [size], [1])
    shape, strides = list(a.shape), list(st)
    shape[dimension] = (a.shape[dimension] - size) // step + 1
    strides[dimension] = step * st[dimension]
    return _make_view(a, shape + [size], strides + [st[dimension]])


def _as_strided_kernel(a, size, stride, storage_offset):
    from .._tensor import _root_array
    root = _root_array(a)
    here = (a.__array_interface__["data"][0] - root.__array_interface__["data"][0]) // a.itemsize
    offset = here if storage_offset is None else storage_offset
    return _make_view(a, size, stride, offset - here)


def _alias_kernel(a):
    return a.view() if _native(a) else _make_view(a, a.shape, _strides(a))


def _unbind_kernel(a, dim):
    return tuple(_select_kernel(a, dim, i) for i in range(a.shape[dim]))


def _split_kernel(a, sizes, dim):
    out, start = [], 0
    for s in sizes:
        out.append(_slice_kernel(a, dim, start, start + s, 1))
        start += s
    return tuple(out)
