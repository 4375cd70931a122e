"""View ops (results alias the input's memory and version counter, with `_base`) and the copying
shape ops that PyTorch composes around them (reshape, flatten, contiguous).

Each view op's backward is itself an op, so double backward works."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op


def _dim(d, ndim):
    return _wrap_dim(d, ndim)


# ---- backward helpers of views (differentiable) -------------------------------------------------
def _embed_kernel(g, shape, key):
    out = np.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


EMBED = Op("_view_backward", _embed_kernel, node="SliceBackwardBackward0", promote=None,
           grads={"self": lambda c, g: _basic_view(g, c.key)})
_BASIC = Op("_basic_view", lambda a, key: a[key + (Ellipsis,)], node="SliceBackward0", promote=None, view=True,
            grads={"self": lambda c, g: EMBED(g, shape=c.shapes[0], key=c.key)})


def _basic_view(t, key):
    return _BASIC(t, key=key)


def _view_op(name, node, kernel, formula, **kw):
    return Op(name, kernel, node=node, promote=None, view=True, grads={"self": formula}, **kw)


SELECT = _view_op("select", "SelectBackward0", lambda a, key: a[key + (Ellipsis,)],
                  lambda c, g: EMBED(g, shape=c.shapes[0], key=c.key))
SLICE = _view_op("slice", "SliceBackward0", lambda a, key: a[key],
                 lambda c, g: EMBED(g, shape=c.shapes[0], key=c.key))
ALIAS = _view_op("alias", "AliasBackward0", lambda a: a.view(), lambda c, g: g)
VIEW = _view_op("view", "ViewBackward0", lambda a, shape: a.view().reshape(shape),
                lambda c, g: reshape(g, c.shapes[0]))
UNSAFE_VIEW = Op("_unsafe_view", lambda a, shape: a.reshape(shape), node="UnsafeViewBackward0",
                 promote=None, grads={"self": lambda c, g: reshape(g, c.shapes[0])})
TRANSPOSE = _view_op("transpose", "TransposeBackward0", lambda a, dim0, dim1: np.swapaxes(a, dim0, dim1),
                     lambda c, g: transpose(g, c.dim0, c.dim1))
T = _view_op("t", "TBackward0", lambda a: a.T, lambda c, g: t(g))
PERMUTE = _view_op("permute", "PermuteBackward0", lambda a, dims: np.transpose(a, dims),
                   lambda c, g: permute(g, tuple(np.argsort(c.dims))))
UNSQUEEZE = _view_op("unsqueeze", "UnsqueezeBackward0", lambda a, dim: np.expand_dims(a, dim),
                     lambda c, g: squeeze(g, c.dim))
SQUEEZE_ALL = _view_op("squeeze", "SqueezeBackward0", lambda a: a.reshape([s for s in a.shape if s != 1]),
                       lambda c, g: reshape(g, c.shapes[0]))
SQUEEZE_DIM = _view_op("squeeze", "SqueezeBackward1",
                       lambda a, dim: np.squeeze(a, dim) if a.shape[dim] == 1 else a.view(),
                       lambda c, g: g if len(c.shapes[0]) == g.dim() else unsqueeze(g, c.dim))
SQUEEZE_DIMS = _view_op("squeeze", "SqueezeBackward2",
                        lambda a, dims: np.squeeze(a, tuple(d for d in dims if a.shape[d] == 1)),
                        lambda c, g: reshape(g, c.shapes[0]))
def _expand_kernel(a, shape):
    b = np.broadcast_to(a, shape)
    return np.lib.stride_tricks.as_strided(a, b.shape, b.strides)  # writable, like torch's


def _diagonal_kernel(a, offset, dim1, dim2):
    d = np.diagonal(a, offset, dim1, dim2)
    # np.diagonal is read-only; rebuild the same view writable from the first diagonal element
    return np.lib.stride_tricks.as_strided(_diag_origin(a, offset, dim1, dim2), d.shape, d.strides)


def _diag_origin(a, offset, dim1, dim2):
    key = [slice(None)] * a.ndim
    if offset >= 0:
        key[dim2] = slice(min(offset, a.shape[dim2]), None)
    else:
        key[dim1] = slice(min(-offset, a.shape[dim1]), None)
    return a[tuple(key)]


EXPAND = _view_op("expand", "ExpandBackward0", _expand_kernel,
                  lambda c, g: g.sum_to_size(c.shapes[0]))
DIAGONAL = _view_op("diagonal", "DiagonalBackward0",
                    _diagonal_kernel,
                    lambda c, g: DIAGONAL_BACKWARD(g, shape=c.shapes[0], offset=c.offset,
                                                   dim1=c.dim1, dim2=c.dim2))


def _diag_backward_kernel(g, shape, offset, dim1, dim2):
    out = np.zeros(shape, dtype=g.dtype)
    np.diagonal(out, offset, dim1, dim2).flags  # noqa: B018 - read-only view, write below
    idx = np.arange(np.diagonal(out, offset, dim1, dim2).shape[-1])
    key = [slice(None)] * len(shape)
    moved = np.moveaxis(out, (dim1, dim2), (-2, -1))
    r = idx + max(-offset, 0)
    col = idx + max(offset, 0)
    moved[..., r, col] = g
    return out


DIAGONAL_BACKWARD = Op("diagonal_backward", _diag_backward_kernel, node="DiagonalBackwardBackward0",
                       promote=None,
                       grads={"self": lambda c, g: diagonal(g, c.offset, c.dim1, c.dim2)})


def _unfold_kernel(a, dimension, size, step):
    n = (a.shape[dimension] - size) // step + 1
    shape = a.shape[:dimension] + (n,) + a.shape[dimension + 1:] + (size,)
    strides = (a.strides[:dimension] + (a.strides[dimension] * step,) + a.strides[dimension + 1:]
               + (a.strides[dimension],))
    return np.lib.stride_tricks.as_strided(a, shape, strides)


def _unfold_backward_kernel(g, shape, dimension, size, step):
    out = np.zeros(shape, dtype=g.dtype)
    n = g.shape[dimension]
    for i in range(n):
        src = np.moveaxis(np.take(g, i, axis=dimension), -1, dimension)
        key = [slice(None)] * len(shape)
        key[dimension] = slice(i * step, i * step + size)
        out[tuple(key)] += src
    return out


UNFOLD_BACKWARD = Op("unfold_backward", _unfold_backward_kernel, node="UnfoldBackwardBackward0",
                     promote=None, grads={"self": lambda c, g: unfold(g, c.dimension, c.size, c.step)})
UNFOLD = _view_op("unfold", "UnfoldBackward0", _unfold_kernel,
                  lambda c, g: UNFOLD_BACKWARD(g, shape=c.shapes[0], dimension=c.dimension,
                                               size=c.size, step=c.step))


def _as_strided_kernel(a, size, stride, storage_offset):
    from .._tensor import _root_array
    root = _root_array(a)
    item = a.itemsize
    base_ptr = root.__array_interface__["data"][0]
    flat = np.lib.stride_tricks.as_strided(root, (root.size,), (item,)) if root.flags.c_contiguous \
        else root.reshape(-1)
    off = storage_offset if storage_offset is not None else \
        (a.__array_interface__["data"][0] - base_ptr) // item
    return np.lib.stride_tricks.as_strided(flat[off:], tuple(size), tuple(s * item for s in stride))


AS_STRIDED = _view_op("as_strided", "AsStridedBackward0", _as_strided_kernel,
                      lambda c, g: g._scatter_flat(c.index, c.shapes[0]))


def _stack_grads(grads, shapes_out, dim, dtype_like):
    from .creation import zeros
    from .joining import stack
    parts = [g if g is not None else zeros(shape, dtype=dtype_like) for g, shape in zip(grads, shapes_out)]
    return stack(parts, dim)


def _cat_grads(grads, shapes_out, dim, dtype_like):
    from .creation import zeros
    from .joining import cat
    parts = [g if g is not None else zeros(shape, dtype=dtype_like) for g, shape in zip(grads, shapes_out)]
    return cat(parts, dim)


UNBIND = Op("unbind", lambda a, dim: tuple(a[(slice(None),) * dim + (i, Ellipsis)]
                                           for i in range(a.shape[dim])),
            node="UnbindBackward0", promote=None, view=True, multi_output=True,
            grads={"self": lambda c, g: _stack_grads(g, c.out_shapes, c.dim, c.dtype)})


def _split_kernel(a, sizes, dim):
    out, start = [], 0
    for s in sizes:
        out.append(a[(slice(None),) * dim + (slice(start, start + s),)])
        start += s
    return tuple(out)


SPLIT = Op("split", _split_kernel, node="SplitBackward0", promote=None, view=True, multi_output=True,
           grads={"self": lambda c, g: _cat_grads(g, c.out_shapes, c.dim, c.dtype)})
SPLIT_WITH_SIZES = Op("split_with_sizes", _split_kernel, node="SplitWithSizesBackward0", promote=None,
                      view=True, multi_output=True,
                      grads={"self": lambda c, g: _cat_grads(g, c.out_shapes, c.dim, c.dtype)})


# ---- public functions -----------------------------------------------------------------------------
def _infer_shape(shape, numel):
    shape = list(shape)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = list(shape[0])
    shape = [int(s) for s in shape]
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(messages.SHAPE_INVALID.format(shape=_shape_list(shape), numel=numel))
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(messages.SHAPE_INVALID.format(shape=_shape_list(shape), numel=numel))
    return tuple(shape)


def _shape_list(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _viewable(a: np.ndarray, shape) -> bool:
    try:
        v = a.view()
        v.shape = shape  # numpy refuses when a copy would be needed
        return True
    except AttributeError:
        return False


def view(self, *shape):
    from .._core.dtypes import dtype as _dtype
    if len(shape) == 1 and isinstance(shape[0], _dtype):
        return view_dtype(self, shape[0])
    shape = _infer_shape(shape, self._data.size)
    if not _viewable(self._data, shape):
        raise RuntimeError(messages.VIEW_SIZE)
    return VIEW(self, shape=shape)


def view_dtype(self, dtype):
    if dtype.itemsize != self._dtype.itemsize:
        raise RuntimeError("view(dtype) with a different element size is not supported")
    return Tensor._make(self._data.view(dtype.np), vc=self._vc)


def view_as(self, other):
    return view(self, other.shape)


def reshape(self, *shape):
    shape = _infer_shape(shape, self._data.size)
    if _viewable(self._data, shape):
        return VIEW(self, shape=shape)
    from .pointwise import CLONE
    return UNSAFE_VIEW(CLONE(self, order="C"), shape=shape)


def reshape_as(self, other):
    return reshape(self, other.shape)


def flatten(self, start_dim=0, end_dim=-1):
    nd = self._data.ndim
    if nd == 0:
        return reshape(self, (1,))
    s, e = _dim(start_dim, nd), _dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    shape = self._data.shape
    n = 1
    for k in shape[s:e + 1]:
        n *= k
    return reshape(self, shape[:s] + (n,) + shape[e + 1:])


def unflatten(self, dim, sizes):
    d = _dim(dim, self._data.ndim)
    shape = self._data.shape
    inner = _infer_shape(sizes, shape[d])
    return view(self, shape[:d] + inner + shape[d + 1:])


def contiguous(self, memory_format=None):
    if self.is_contiguous():
        return self
    from .pointwise import CLONE
    return CLONE(self, order="C")


def transpose(self, dim0, dim1):
    nd = self._data.ndim
    return TRANSPOSE(self, dim0=_dim(dim0, nd), dim1=_dim(dim1, nd))


swapaxes = swapdims = transpose


def t(self):
    if self._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D")
    return T(self)


def permute(self, *dims):
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]
    nd = self._data.ndim
    dims = tuple(_dim(d, nd) for d in dims)
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not "
                           f"match the length of the desired ordering of dimensions i.e. input.dim() "
                           f"= {nd} is not equal to len(dims) = {len(dims)}")
    return PERMUTE(self, dims=dims)


def movedim(self, source, destination):
    nd = self._data.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_dim(s, nd) for s in src]
    dst = [_dim(d, nd) for d in dst]
    order = [i for i in range(nd) if i not in src]
    perm = [0] * nd
    placed = dict(zip(dst, src))
    it = iter(order)
    for i in range(nd):
        perm[i] = placed[i] if i in placed else next(it)
    return PERMUTE(self, dims=tuple(perm))


moveaxis = movedim


def mT(self):
    return transpose(self, -2, -1)


def T_property(self):
    # torch's Tensor.T is permute(reversed dims) for every rank (PermuteBackward0, even 2-D)
    return PERMUTE(self, dims=tuple(range(self._data.ndim - 1, -1, -1)))


def unsqueeze(self, dim):
    return UNSQUEEZE(self, dim=_wrap_dim(dim, self._data.ndim + 1))


def squeeze(self, dim=None):
    nd = self._data.ndim
    if dim is None:
        return SQUEEZE_ALL(self)
    if isinstance(dim, (tuple, list)):
        return SQUEEZE_DIMS(self, dims=tuple(_dim(d, nd) for d in dim))
    return SQUEEZE_DIM(self, dim=_dim(dim, nd) if nd else 0)


def expand(self, *sizes):
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    shape = self._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({self.type()}{{{list(shape)}}}, size={list(sizes)}): the number of "
                           f"sizes provided ({len(sizes)}) must be greater or equal to the number of "
                           f"dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            out.append(s)
            continue
        cur = shape[i - lead]
        if s == -1:
            s = cur
        elif cur != 1 and s != cur:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({cur}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(shape)}")
        out.append(s)
    return EXPAND(self, shape=tuple(out))


def expand_as(self, other):
    return expand(self, other.shape)


def broadcast_to(self, shape):
    return expand(self, shape)


def select(self, dim, index):
    nd = self._data.ndim
    d = _dim(dim, nd)
    n = self._data.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(self._data.shape)} at dimension {dim}")
    return SELECT(self, key=(slice(None),) * d + (index % n,))


def narrow(self, dim, start, length):
    d = _dim(dim, self._data.ndim)
    if isinstance(start, Tensor):
        start = int(start)
    n = self._data.shape[d]
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return SLICE(self, key=(slice(None),) * d + (slice(start, start + length),))


def slice_dim(self, dim, start, stop, step=1):
    d = _dim(dim, self._data.ndim)
    return SLICE(self, key=(slice(None),) * d + (slice(start, stop, step),))


def alias(self):
    return ALIAS(self)


def diagonal(self, offset=0, dim1=0, dim2=1):
    nd = self._data.ndim
    return DIAGONAL(self, offset=offset, dim1=_dim(dim1, nd), dim2=_dim(dim2, nd))


def unfold(self, dimension, size, step):
    return UNFOLD(self, dimension=_dim(dimension, self._data.ndim), size=size, step=step)


def as_strided(self, size, stride, storage_offset=None):
    from .._autograd.views import index_map
    out = AS_STRIDED(self, size=tuple(size), stride=tuple(stride), storage_offset=storage_offset)
    fn = out._grad_fn
    if fn is not None:
        fn._attrs["index"] = index_map(self._data, out._data)
    return out


def _multi(op, self, dim, sizes):
    outs = op(self, sizes=sizes, dim=dim)
    _note_outputs(outs, dim, self)
    return outs


def _note_outputs(outs, dim, self):
    fn = outs[0]._grad_fn if outs else None
    if fn is not None:
        fn._attrs["out_shapes"] = tuple(o._data.shape for o in outs)
        fn._attrs["dtype"] = self._dtype


def unbind(self, dim=0):
    d = _dim(dim, self._data.ndim)
    outs = UNBIND(self, dim=d)
    _note_outputs(outs, d, self)
    return outs


def split(self, split_size_or_sections, dim=0):
    d = _dim(dim, self._data.ndim)
    n = self._data.shape[d]
    if isinstance(split_size_or_sections, int):
        k = split_size_or_sections
        sizes = [k] * (n // k) + ([n % k] if n % k else []) if k else [n]
        if n == 0:
            sizes = [0]
        return _multi(SPLIT, self, d, tuple(sizes))
    return split_with_sizes(self, split_size_or_sections, d)


def split_with_sizes(self, split_sizes, dim=0):
    d = _dim(dim, self._data.ndim)
    if sum(split_sizes) != self._data.shape[d]:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to "
                           f"{self._data.shape[d]} (input tensor's size at dimension {d}), but got "
                           f"split_sizes={list(split_sizes)}")
    return _multi(SPLIT_WITH_SIZES, self, d, tuple(split_sizes))


def chunk(self, chunks, dim=0):
    d = _dim(dim, self._data.ndim)
    n = self._data.shape[d]
    size = -(-n // chunks) if chunks else 0
    return split(self, max(size, 1) if n else 1, d) if n else split(self, 1, d)


def tensor_split(self, indices_or_sections, dim=0):
    d = _dim(dim, self._data.ndim)
    n = self._data.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        q, r = divmod(n, k)
        bounds, start = [], 0
        for i in range(k):
            size = q + (1 if i < r else 0)
            bounds.append((start, start + size))
            start += size
    else:
        idx = [0] + [min(max(int(i), 0), n) for i in indices_or_sections] + [n]
        bounds = [(idx[i], max(idx[i], idx[i + 1])) for i in range(len(idx) - 1)]
    return tuple(slice_dim(self, d, a, b) for a, b in bounds)


def flip(self, dims):
    from .indexing import FLIP
    nd = self._data.ndim
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return FLIP(self, dims=tuple(_dim(d, nd) for d in dims))
