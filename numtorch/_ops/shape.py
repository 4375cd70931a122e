"""View ops and the copying shape ops PyTorch composes around them (reshape, flatten, contiguous).

A view op computes the result's geometry (sizes, strides, storage offset) with ATen's rules and
builds a numpy array over the same memory (`_make_view`), so `stride()`, `storage_offset()` and
`data_ptr()` are torch's; dispatch (`Op(..., view=True)`) attaches the view metadata and shares
the version counter. Every backward formula is written with ops, so double backward works."""
from __future__ import annotations

import warnings

import numpy as np

from .._autograd import provenance as _provenance, views as _views
from .._autograd.node import expose_saved
from .._core import messages
from .._core.dtypes import dtype as _dtype
from .._core.state import STATE
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op
from .view_geometry import (_alias_kernel, _as_strided_kernel, _diagonal_kernel, _expand_kernel,
                            _permute_kernel, _select_kernel, _slice_kernel, _split_kernel,
                            _squeeze_kernel, _strides, _t_kernel, _transpose_kernel, _unbind_kernel,
                            _unfold_kernel, _unsqueeze_kernel, _view_kernel, compute_stride)


# ---- backward helpers of views (differentiable ops themselves) ---------------------------------
def _zeros_with(g, shape):
    return np.zeros(shape, dtype=g.dtype)


def _select_backward_kernel(g, shape, dim, index):
    out = _zeros_with(g, shape)
    _select_kernel(out, dim, index)[...] = g
    return out


def _slice_backward_kernel(g, shape, dim, start, end, step):
    out = _zeros_with(g, shape)
    _slice_kernel(out, dim, start, end, step)[...] = g
    return out


def _diagonal_backward_kernel(g, shape, offset, dim1, dim2):
    out = _zeros_with(g, shape)
    _diagonal_kernel(out, offset, dim1, dim2)[...] = g
    return out


def _unfold_backward_kernel(g, shape, dimension, size, step):
    out = _zeros_with(g, shape)
    if len(shape) == 0:
        return g.reshape(()).copy() if g.size else out
    for i in range(g.shape[dimension]):
        src = np.moveaxis(np.take(g, i, axis=dimension), -1, dimension)
        key = [slice(None)] * len(shape)
        key[dimension] = slice(i * step, i * step + size)
        out[tuple(key)] += src
    return out


SELECT_BACKWARD = Op("select_backward", _select_backward_kernel, node="SelectBackwardBackward0",
                     promote=None, grads={"self": lambda c, g: select(g, c.dim, c.index)})
SLICE_BACKWARD = Op("slice_backward", _slice_backward_kernel, node="SliceBackwardBackward0",
                    promote=None,
                    grads={"self": lambda c, g: SLICE(g, dim=c.dim, start=c.start, end=c.end, step=c.step)})
DIAGONAL_BACKWARD = Op("diagonal_backward", _diagonal_backward_kernel, node="DiagonalBackwardBackward0",
                       promote=None, grads={"self": lambda c, g: diagonal(g, c.offset, c.dim1, c.dim2)})
UNFOLD_BACKWARD = Op("unfold_backward", _unfold_backward_kernel, node="UnfoldBackwardBackward0",
                     promote=None, grads={"self": lambda c, g: unfold(g, c.dimension, c.size, c.step)})


def _view_op(name, node, kernel, formula, **kw):
    return Op(name, kernel, node=node, promote=None, view=True, grads={"self": formula}, **kw)


VIEW = _view_op("view", "ViewBackward0", _view_kernel, lambda c, g: reshape(g, c.shapes[0]))
RESHAPE_ALIAS = _view_op("_reshape_alias", "ReshapeAliasBackward0", _view_kernel,
                         lambda c, g: reshape(g, c.shapes[0]))
UNSAFE_VIEW = Op("_unsafe_view", lambda a, shape: a.reshape(shape), node="UnsafeViewBackward0",
                 promote=None, grads={"self": lambda c, g: reshape(g, c.shapes[0])})
ALIAS = _view_op("alias", "AliasBackward0", _alias_kernel, lambda c, g: g)
SELECT = _view_op("select", "SelectBackward0", _select_kernel,
                  lambda c, g: SELECT_BACKWARD(g, shape=c.shapes[0], dim=c.dim, index=c.index))
SLICE = _view_op("slice", "SliceBackward0", _slice_kernel,
                 lambda c, g: SLICE_BACKWARD(g, shape=c.shapes[0], dim=c.dim, start=c.start,
                                             end=c.end, step=c.step))
TRANSPOSE = _view_op("transpose", "TransposeBackward0", _transpose_kernel,
                     lambda c, g: transpose(g, c.dim0, c.dim1))
T = _view_op("t", "TBackward0", _t_kernel, lambda c, g: _t_backward(g))
PERMUTE = _view_op("permute", "PermuteBackward0", _permute_kernel,
                   lambda c, g: PERMUTE(g, dims=tuple(int(i) for i in np.argsort(c.dims))))
UNSQUEEZE = _view_op("unsqueeze", "UnsqueezeBackward0", _unsqueeze_kernel, lambda c, g: squeeze(g, c.dim))
def _unsqueeze_size_ones(g, shape):
    """FunctionsManual unsqueeze_to(grad, sizes): one unsqueeze per size-1 dim, and the gradient
    itself when there is none (a 0-d input)."""
    for i, n in enumerate(shape):
        if n == 1:
            g = unsqueeze(g, i)
    return g


SQUEEZE_ALL = _view_op("squeeze", "SqueezeBackward0", _squeeze_kernel,
                       lambda c, g: _unsqueeze_size_ones(g, c.shapes[0]))
SQUEEZE_DIM = _view_op("squeeze", "SqueezeBackward1", _squeeze_kernel,
                       lambda c, g: g if len(c.shapes[0]) == g.dim() else unsqueeze(g, c.dims[0]))
SQUEEZE_DIMS = _view_op("squeeze", "SqueezeBackward2", _squeeze_kernel, lambda c, g: _unsqueeze_to(g, c))
EXPAND = _view_op("expand", "ExpandBackward0", _expand_kernel, lambda c, g: g.sum_to_size(c.shapes[0]))
DIAGONAL = _view_op("diagonal", "DiagonalBackward0", _diagonal_kernel,
                    lambda c, g: DIAGONAL_BACKWARD(g, shape=c.shapes[0], offset=c.offset, dim1=c.dim1,
                                                   dim2=c.dim2))
UNFOLD = _view_op("unfold", "UnfoldBackward0", _unfold_kernel,
                  lambda c, g: UNFOLD_BACKWARD(g, shape=c.shapes[0], dimension=c.dimension, size=c.size,
                                               step=c.step))
AS_STRIDED = _view_op("as_strided", "AsStridedBackward0", _as_strided_kernel,
                      lambda c, g: _views.as_strided_grad(g, c.self_geometry, c.size, c.stride,
                                                          c.storage_offset))


def _unsqueeze_to(g, c):
    for d in sorted(c.dims):
        if c.shapes[0][d] == 1 and g.dim() < len(c.shapes[0]):
            g = unsqueeze(g, d)
    return g


def _parts(grads, shapes_out, like):
    from .creation import zeros
    return [g if g is not None else zeros(shape, dtype=like) for g, shape in zip(grads, shapes_out)]


def _unbind_formula(c, grads):
    from .joining import stack
    return stack(_parts(grads, c.out_shapes, c.dtype), c.dim)


def _split_formula(c, grads):
    from .joining import cat
    return cat(_parts(grads, c.out_shapes, c.dtype), c.dim)


UNBIND = Op("unbind", _unbind_kernel, node="UnbindBackward0", promote=None, view=True, multi_output=True,
            grads={"self": _unbind_formula})
SPLIT = Op("split", _split_kernel, node="SplitBackward0", promote=None, view=True, multi_output=True,
           grads={"self": _split_formula})
SPLIT_WITH_SIZES = Op("split_with_sizes", _split_kernel, node="SplitWithSizesBackward0", promote=None,
                      view=True, multi_output=True, grads={"self": _split_formula})


# ---- public functions ---------------------------------------------------------------------------
def _shape_list(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _sizes(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return list(map(int, args))


def _infer_shape(shape, numel):
    """ATen's infer_size: at most one -1, the product must equal numel."""
    shape = _sizes(shape)
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            known *= s
        else:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_shape_list(shape)}")
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is not None:
            if known == 0:
                raise RuntimeError(
                    f"cannot reshape tensor of 0 elements into shape {_shape_list(shape)} because the "
                    "unspecified dimension size -1 can be any value and is ambiguous")
            shape[infer] = numel // known
        return tuple(shape)
    raise RuntimeError(messages.SHAPE_INVALID.format(shape=_shape_list(shape), numel=numel))


def view(self, *shape):
    _views.touch_grad_fn(self)  # native op: autograd runs before its argument checks
    if len(shape) == 1 and isinstance(shape[0], _dtype):
        return view_dtype(self, shape[0])
    return VIEW(self, shape=_infer_shape(shape, self._data.size))


def view_dtype(self, dtype):
    """view(dtype): the same memory read as another dtype (the last dimension rescaled when the
    element sizes differ). It shares the version counter but is not a differentiable view:
    `_is_view()` is False and the result does not require grad."""
    a, old, new = self._data, self._dtype.itemsize, dtype.itemsize
    shape, strides, offset = list(a.shape), list(_strides(a)), self.storage_offset()
    if old != new:
        what = f"to view {self._dtype.short_name} as {dtype.short_name} (different element sizes)"
        if a.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if old > new:
            ratio = old // new
            if strides[-1] != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
            shape[-1] *= ratio
            strides = [st * ratio for st in strides[:-1]] + [1]
        else:
            ratio = new // old
            if shape[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got {shape[-1]}")
            if strides[-1] != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
            for d, st in enumerate(strides[:-1]):
                if st % ratio:
                    raise RuntimeError(f"self.stride({d}) must be divisible by {ratio} {what}, but got {st}")
            if offset % ratio:
                raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {what}, but got "
                                   f"{offset}")
            shape[-1] //= ratio
            strides = [st // ratio for st in strides[:-1]] + [1]
    arr = _views.make_view(a, shape, strides, dtype=dtype.np) if old != new else a.view(dtype.np)
    return Tensor._make(arr, vc=self._vc)


def view_as(self, other):
    return view(self, tuple(other.shape))


def reshape(self, *shape):
    """ATen's reshape: `view` when contiguous, `_reshape_alias` (ReshapeAliasBackward0) when the
    strides allow a view anyway, else a contiguous clone and `_unsafe_view`."""
    if self.is_contiguous():
        return view(self, *shape)
    shape = _infer_shape(shape, self._data.size)
    if compute_stride(self._data.shape, _strides(self._data), shape) is not None:
        _views.touch_grad_fn(self)
        return RESHAPE_ALIAS(self, shape=shape)
    from .pointwise import CLONE
    return UNSAFE_VIEW(CLONE(self, order="C"), shape=shape)


def reshape_as(self, other):
    return reshape(self, tuple(other.shape))


def flatten(self, start_dim=0, end_dim=-1):
    nd = self._data.ndim
    s, e = _wrap_dim(start_dim, nd), _wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if nd == 0:
        return reshape(self, (1,))
    if s == e:
        return self
    shape = self._data.shape
    n = 1
    for k in shape[s:e + 1]:
        n *= k
    return reshape(self, shape[:s] + (n,) + shape[e + 1:])


def unflatten(self, dim, sizes):
    from .arg_parser import check_python_args
    if not sizes:  # torch's Tensor.unflatten (Python) before its binding's argument check
        raise RuntimeError("unflatten: sizes must be non-empty")
    check_python_args("unflatten", (("dim", "I", True, "p"), ("sizes", "S", True, "p")), (dim, sizes))
    d = _wrap_dim(dim, self._data.ndim)
    shape = self._data.shape
    sizes = [int(s) for s in sizes]
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    n = 1
    for s in sizes:
        n *= s if s != -1 else 1
    if -1 in sizes:
        inner = _infer_shape(sizes, shape[d])
    elif n != shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {_shape_list(sizes)} don't multiply up to the size "
                           f"of dim {dim} ({shape[d]}) in the input tensor")
    else:
        inner = tuple(sizes)
    return VIEW(self, shape=shape[:d] + tuple(inner) + shape[d + 1:])


def contiguous(self, memory_format=None):
    if self.is_contiguous():
        return self
    from .pointwise import CLONE
    return CLONE(self, order="C")


def transpose(self, dim0, dim1):
    _views.touch_grad_fn(self)
    nd = self._data.ndim
    return TRANSPOSE(self, dim0=_wrap_dim(dim0, nd), dim1=_wrap_dim(dim1, nd))


swapaxes = swapdims = transpose


def t(self):
    _views.touch_grad_fn(self)
    if self._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D")
    return T(self)


def _records_nothing() -> bool:
    """Grad mode off (a backward without create_graph) and no provenance tracking: T's dispatch
    would record nothing and touch no view's grad_fn."""
    return not STATE.grad_enabled and not _provenance.TRACKING


def _t_backward(g):
    """TBackward0's formula t(grad); a pre-hook may have replaced grad with anything, which t()
    then judges."""
    if isinstance(g, Tensor) and g._data.ndim <= 2 and _records_nothing():
        return t_unrecorded(g)
    return t(g)


def t_unrecorded(self):
    """t() of a tensor of <= 2 dims when _records_nothing(): the tensor T's dispatch gives (its
    kernel's view, the view metadata), without the dispatch, which costs several times the view.
    For gradient formulas (TBackward0's, mm's), run once per layer and step."""
    result = Tensor._make(_t_kernel(self._data))
    _views.attach_view(result, self)
    return result


def permute(self, *dims):
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    _views.touch_grad_fn(self)
    dims = _sizes(dims)
    nd = self._data.ndim
    if len(dims) != nd:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match "
                           "the length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{nd} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, nd) for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return PERMUTE(self, dims=dims)


def movedim(self, source, destination):
    nd = self._data.ndim
    if nd == 0:  # ATen: a 0-d tensor (any dims that wrap) is returned as alias()
        for d in ([source] if isinstance(source, int) else list(source)) + \
                ([destination] if isinstance(destination, int) else list(destination)):
            _wrap_dim(d, 0)
        return ALIAS(self)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({_shape_list(src)} dims) "
                           f"should contain the same number of dims as destination ({_shape_list(dst)} dims)")
    src = [_wrap_dim(s, nd) for s in src]
    dst = [_wrap_dim(d, nd) for d in dst]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({_shape_list(src)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({_shape_list(dst)})")
    rest_src = [i for i in range(nd) if i not in src]
    rest_dst = [i for i in range(nd) if i not in dst]
    perm = [0] * nd
    for s, d in zip(src, dst):
        perm[d] = s
    for s, d in zip(rest_src, rest_dst):
        perm[d] = s
    return PERMUTE(self, dims=tuple(perm))


moveaxis = movedim


_WARNED: set = set()  # torch's TORCH_WARN_ONCE: these deprecations warn once per process


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)


def mT(self):
    if self._data.ndim == 0:
        _warn_once("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.")
        return self
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


def T_property(self):
    # torch's Tensor.T is permute(reversed dims) for every rank (PermuteBackward0, even 2-D)
    nd = self._data.ndim
    if nd == 0:
        _warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.")
    elif nd != 2:
        _warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                   "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                   "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                   "to reverse the dimensions of a tensor.")
    return PERMUTE(self, dims=tuple(range(nd - 1, -1, -1)))


def unsqueeze(self, dim):
    _views.touch_grad_fn(self)
    return UNSQUEEZE(self, dim=_wrap_dim(dim, self._data.ndim + 1))


def squeeze(self, dim=None):
    _views.touch_grad_fn(self)
    nd = self._data.ndim
    if dim is None:
        return SQUEEZE_ALL(self, dims=tuple(range(nd)))
    if isinstance(dim, (tuple, list)):
        dims = tuple(_wrap_dim(d, nd) for d in dim)
        for i, d in enumerate(dims):
            if d in dims[:i]:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        return SQUEEZE_DIMS(self, dims=dims)
    return SQUEEZE_DIM(self, dims=(_wrap_dim(dim, nd),))


def expand(self, *sizes, implicit=False):
    _views.touch_grad_fn(self)
    sizes = _sizes(sizes)
    shape = self._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({self.type()}{{{_shape_list(shape)}}}, size={_shape_list(sizes)}): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal to the number "
                           f"of dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            out.append(s)
            continue
        cur = shape[i - lead]
        if s == -1:
            s = cur
        elif cur != 1 and s != cur:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) "
                               f"at non-singleton dimension {i}.  Target sizes: {_shape_list(sizes)}.  "
                               f"Tensor sizes: {_shape_list(shape)}")
        out.append(s)
    return EXPAND(self, shape=tuple(out))


def expand_as(self, other):
    return expand(self, tuple(other.shape))


def broadcast_to(self, shape):
    return expand(self, shape)


def select(self, dim, index):
    _views.touch_grad_fn(self)
    nd = self._data.ndim
    if nd == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, nd)
    index = int(index)
    n = self._data.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{_shape_list(self._data.shape)} at dimension {dim}")
    return SELECT(self, dim=d, index=index % n)


def _slice_bounds(n, start, stop, step):
    """ATen's slice: wrap negative bounds once, then clamp to [0, n]."""
    start = 0 if start is None else int(start)
    stop = n if stop is None else int(stop)
    if start < 0:
        start += n
    if stop < 0:
        stop += n
    start = min(max(start, 0), n)
    stop = min(max(stop, start), n)
    return start, stop


def slice_dim(self, dim, start=None, stop=None, step=1):
    _views.touch_grad_fn(self)
    step = 1 if step is None else int(step)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    d = _wrap_dim(dim, self._data.ndim)
    start, stop = _slice_bounds(self._data.shape[d], start, stop, step)
    return SLICE(self, dim=d, start=start, end=stop, step=step)


def narrow(self, dim, start, length):
    nd = self._data.ndim
    if nd == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, nd)
    if isinstance(start, Tensor):
        start = int(start)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    n = self._data.shape[d]
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return SLICE(self, dim=d, start=start, end=start + length, step=1)


def alias(self):
    return ALIAS(self)


def diagonal(self, offset=0, dim1=0, dim2=1):
    _views.touch_grad_fn(self)
    nd = self._data.ndim
    d1, d2 = _wrap_dim(dim1, nd), _wrap_dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DIAGONAL(self, offset=int(offset), dim1=d1, dim2=d2)


def unfold(self, dimension, size, step):
    _views.touch_grad_fn(self)
    nd = self._data.ndim
    d = _wrap_dim(dimension, nd)
    n = self._data.shape[d] if nd else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return UNFOLD(self, dimension=d, size=int(size), step=int(step))


# attributes set after recording (NOTE [Saved attributes])
expose_saved("self_geometry", "out_shapes", "dtype")


def as_strided(self, size, stride, storage_offset=None):
    _views.touch_grad_fn(self)
    from .._tensor import _root_array
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{_shape_list(stride)}")
    if storage_offset is not None and storage_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {storage_offset}")
    offset = self.storage_offset() if storage_offset is None else int(storage_offset)
    root = _root_array(self._data)
    item = self._data.itemsize
    if all(size):
        needed = (offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1) * item
        if needed > root.nbytes:
            raise RuntimeError(f"setStorage: sizes {_shape_list(size)}, strides {_shape_list(stride)}, "
                               f"storage offset {offset}, and itemsize {item} requiring a storage size of "
                               f"{needed} are out of bounds for storage of size {root.nbytes}")
    out = AS_STRIDED(self, size=size, stride=stride, storage_offset=storage_offset)
    fn = out._grad_fn
    if fn is not None:  # as_strided_backward needs the input's strides and offset too
        fn._attrs["self_geometry"] = _views.geometry(self)
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
    _views.touch_grad_fn(self)
    if self._data.ndim == 0:
        _wrap_dim(dim, 0)  # an out-of-range dim is reported first (a 0-d tensor wraps as 1-d)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, self._data.ndim)
    outs = UNBIND(self, dim=d)
    _note_outputs(outs, d, self)
    return outs


def split(self, split_size_or_sections, dim=0):
    from .arg_parser import check_python_args
    if isinstance(split_size_or_sections, Tensor):  # torch's Tensor.split tries int() on a tensor
        try:
            split_size_or_sections = int(split_size_or_sections)
        except ValueError:
            pass
    if not isinstance(split_size_or_sections, int):  # torch's Tensor.split (Python) -> _VF bindings
        check_python_args("split_with_sizes", (("split_sizes", "S", True, "p"), ("dim", "I", False, "p")),
                          (split_size_or_sections, dim), offset=1)
        return split_with_sizes(self, split_size_or_sections, dim)
    check_python_args("split", (("split_size", "I", True, "p"), ("dim", "I", False, "p")),
                      (split_size_or_sections, dim), offset=1)
    _views.touch_grad_fn(self)
    if self._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, self._data.ndim)
    n = self._data.shape[d]
    k = split_size_or_sections
    if k < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={k}")
    if k == 0 and n != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    count = max(-(-n // k), 1) if k else 1
    sizes = [k] * (count - 1) + [k - (k * count - n)]
    return _multi(SPLIT, self, d, tuple(sizes))


def split_with_sizes(self, split_sizes, dim=0):
    if type(split_sizes) not in (list, tuple):  # the binding's parser runs before the 0-d check
        from .arg_parser import check_python_args
        check_python_args("split_with_sizes", (("split_sizes", "S", True, "p"), ("dim", "I", False, "p")),
                          (split_sizes, dim))
    _views.touch_grad_fn(self)
    if self._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, self._data.ndim)
    sizes = [int(s) for s in split_sizes]
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                           f"split_sizes={_shape_list(sizes)}")
    if sum(sizes) != self._data.shape[d]:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {self._data.shape[d]} "
                           f"(input tensor's size at dimension {d}), but got split_sizes="
                           f"{_shape_list(sizes)}")
    return _multi(SPLIT_WITH_SIZES, self, d, tuple(sizes))


def chunk(self, chunks, dim=0):
    if self._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _wrap_dim(dim, self._data.ndim)
    n = self._data.shape[d]
    size = (n + chunks - 1) // chunks
    if size == 0 and n == 0:
        return split_with_sizes(self, [0] * chunks, d)
    return split(self, size, d)


def tensor_split(self, indices_or_sections, dim=0):
    if self._data.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 "
                           "dims")
    if isinstance(indices_or_sections, Tensor):  # the tensor_indices_or_sections overload
        ios = indices_or_sections
        if ios._dtype.name != "int64":
            raise RuntimeError(messages.TENSOR_SPLIT_INDICES_DTYPE.format(dtype=ios._dtype.short_name))
        if ios._data.ndim > 1:
            raise RuntimeError(messages.TENSOR_SPLIT_INDICES_DIMS.format(dims=ios._data.ndim))
        indices_or_sections = int(ios) if ios._data.ndim == 0 else ios._data.tolist()
    d = _wrap_dim(dim, self._data.ndim)
    n = self._data.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        bounds, start = [], 0
        for i in range(k):
            size = q + (1 if i < r else 0)
            bounds.append((start, start + size))
            start += size
    else:
        idx = [int(i) for i in indices_or_sections]
        bounds, start = [], 0
        for i in idx + [n]:
            bounds.append((start, i))
            start = i
    return tuple(slice_dim(self, d, a, b) for a, b in bounds)


def flip(self, *dims):
    from .indexing import FLIP
    nd = self._data.ndim
    dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    wrapped = tuple(_wrap_dim(d, nd) for d in dims)
    for i, d in enumerate(wrapped):
        if d in wrapped[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return FLIP(self, dims=wrapped if nd else ())  # a 0-d tensor takes dim 0 (or -1): nothing to flip
