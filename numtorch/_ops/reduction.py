"""Reductions: sum, mean, prod, max/min (full, with dim, amax/amin), argmax/argmin, var/std,
norm, logsumexp, softmax/log_softmax, cumsum, all/any, count_nonzero."""
from __future__ import annotations

import warnings

import numpy as np

from .._autograd import provenance as _provenance, views as _views
from .._core import dtypes as dt
from .._core import messages
from .._core.state import STATE
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op
from .shape import VIEW, expand, reshape, unsqueeze
from .view_geometry import _view_kernel


class _ReturnType(tuple):
    """torch.return_types.max & co: a named pair that prints like PyTorch's structseq."""
    _name = ""
    _fields = ("values", "indices")

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def return_type(name: str) -> type:
    return type(name, (_ReturnType,), {"_name": name, "__slots__": ()})


MaxResult, MinResult = return_type("max"), return_type("min")
SortResult, TopkResult = return_type("sort"), return_type("topk")
ModeResult, MedianResult = return_type("mode"), return_type("median")
KthvalueResult = return_type("kthvalue")


def _dims(dim, ndim):
    """Reduction dims, sorted. None or an empty list means all dims; a 0-d tensor accepts 0/-1 and
    has nothing to reduce."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    if len(dim) == 0:
        return tuple(range(ndim))
    dims = [_wrap_dim(d, ndim) for d in dim]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return () if ndim == 0 else tuple(sorted(dims))


def restore_dims(g, shape, dims, keepdim):
    """Bring a reduced gradient back to broadcastable rank (unsqueeze reduced dims)."""
    if not keepdim and len(shape) and dims is not None:
        for d in dims:
            g = unsqueeze(g, d)
    return g


def _sum_kernel(a, dims, keepdim, dtype):
    # np.sum's own reduction, without its Python wrapper (a few microseconds a call)
    return np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=dtype.np)


SUM = Op("sum", _sum_kernel, node="SumBackward0", promote=None,
         grads={"self": lambda c, g: expand(g, c.shapes[0])})
SUM_DIM = Op("sum", _sum_kernel, node="SumBackward1", promote=None,
             grads={"self": lambda c, g: expand(restore_dims(g, c.shapes[0], c.dims, c.keepdim),
                                                c.shapes[0])})


def _reduce_dtype(self, dtype):
    if dtype is not None:
        return dtype
    return dt.int64 if self._dtype.category <= 1 else self._dtype


def sum(self, dim=None, keepdim=False, *, dtype=None):
    d = _reduce_dtype(self, dtype)
    if dim is None:
        return SUM(self, dims=None, keepdim=False, dtype=d)
    return SUM_DIM(self, dims=_dims(dim, self._data.ndim), keepdim=keepdim, dtype=d)


def _nansum_kernel(a, dims, keepdim, dtype):
    return np.nansum(a, axis=dims, keepdims=keepdim, dtype=dtype.np) if a.dtype.kind in "fc" else \
        np.sum(a, axis=dims, keepdims=keepdim, dtype=dtype.np)


def _nansum_grad(c, g):
    # FunctionsManual nansum_backward: sum_backward(grad, ...) * self.isnan().logical_not()
    from .pointwise import isnan, logical_not
    full = expand(restore_dims(g, c.shapes[0], c.dims, c.keepdim), c.shapes[0])
    return full * logical_not(isnan(c.self))


# derivatives.yaml: nansum_backward(grad, self, dim, keepdim) (a node of its own)
NANSUM = Op("nansum", _nansum_kernel, node="NansumBackward0", promote=None,
            grads={"self": _nansum_grad})


def nansum(self, dim=None, keepdim=False, *, dtype=None):
    d = _reduce_dtype(self, dtype)
    # dims None (no dim, or an empty list): sum_backward expands grad without unsqueezing
    no_dim = dim is None or (not isinstance(dim, int) and len(dim) == 0)
    dims = None if no_dim else _dims(dim, self._data.ndim)
    return NANSUM(self, dims=dims, keepdim=keepdim, dtype=d)


def nanmean(self, dim=None, keepdim=False, *, dtype=None):
    """ATen composes nanmean: nansum(self) / (count of non-NaN elements), so its graph is
    DivBackward0 over NansumBackward0."""
    from .pointwise import isnan, logical_not
    if self._dtype.category < 2:
        raise RuntimeError(messages.NANMEAN_DTYPE.format(dtype=self._dtype.short_name))
    factor = sum(logical_not(isnan(self)), dim, keepdim)
    return nansum(self, dim, keepdim, dtype=dtype).div(factor)


def sum_to_size(self, *shape):
    """Sum broadcast dims away so the result has `shape` (the engine's one reduction point)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    src = self._data.shape
    if src == shape:
        return self
    lead = len(src) - len(shape)
    if lead < 0:
        raise RuntimeError(messages.SUM_TO_SIZE.format(size=list(shape), src=list(src)))
    dims = list(range(lead))
    for i, s in enumerate(shape):  # the dims to sum: leading ones, and size 1 in `shape` only
        n = src[lead + i]
        if s != n:
            if s != 1:
                raise RuntimeError(messages.SUM_TO_SIZE.format(size=list(shape), src=list(src)))
            dims.append(lead + i)
    if not shape:  # torch's at::sum_to: a full sum (SumBackward0), not a sum plus a view
        return SUM(self, dims=None, keepdim=False, dtype=_reduce_dtype(self, None))
    dims, dtype, shape = tuple(dims), _reduce_dtype(self, None), tuple(map(int, shape))
    if _provenance.TRACKING or (STATE.grad_enabled and _views.requires_grad(self)):
        out = SUM_DIM(self, dims=dims, keepdim=True, dtype=dtype)
        # the keepdim sum is a fresh contiguous tensor: reshape is view (no -1 to infer, no touch)
        return VIEW(out, shape=shape) if lead else out
    return _sum_to_unrecorded(self, dims, shape, dtype)


def _sum_to_unrecorded(self, dims, shape, dtype):
    """sum_to_size when nothing is recorded (the engine's backward without create_graph): the
    tensors SUM_DIM and VIEW give (a view of the keepdim sum when leading dims go, as torch's
    at::sum_to), without their dispatch, which costs more than these small sums."""
    out = SUM_DIM.unrecorded(self._data, dims=dims, keepdim=True, dtype=dtype)
    summed = out._data
    if len(shape) == summed.ndim:
        return out
    result = Tensor._make(_view_kernel(summed, shape))
    _views.attach_view(result, out)
    return result


def _mean_kernel(a, dims, keepdim, dtype):
    if a.size == 0:  # NaN, without numpy's "Mean of empty slice" warning
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.mean(a, axis=dims, keepdims=keepdim, dtype=dtype.np).astype(dtype.np, copy=False)
    return np.mean(a, axis=dims, keepdims=keepdim, dtype=dtype.np).astype(dtype.np, copy=False)


def _numel(shape, dims):
    n = 1
    for d in (dims if dims is not None else range(len(shape))):
        n *= shape[d]
    return n


def _div_numel(g, n):
    """mean_backward's `grad / numel`: C++ divides by a Scalar (DivBackward1 under create_graph)."""
    from .nn_ops import DIV_SCALAR
    return DIV_SCALAR(g, other=n)


MEAN = Op("mean", _mean_kernel, node="MeanBackward0", promote=None,
          grads={"self": lambda c, g: _div_numel(expand(g, c.shapes[0]), _numel(c.shapes[0], None))})
MEAN_DIM = Op("mean", _mean_kernel, node="MeanBackward1", promote=None,
              grads={"self": lambda c, g: _div_numel(expand(restore_dims(g, c.shapes[0], c.dims, c.keepdim),
                                                            c.shapes[0]), _numel(c.shapes[0], c.dims))})


def mean(self, dim=None, keepdim=False, *, dtype=None):
    d = dtype or self._dtype
    if d.category <= 1:
        if dtype is not None:
            raise RuntimeError("mean(): could not infer output dtype. Optional dtype must be either a "
                               f"floating point or complex dtype. Got: {d.short_name}")
        raise RuntimeError(messages.MEAN_INT.format(dtype=d.short_name))
    if dim is None:
        return MEAN(self, dims=None, keepdim=False, dtype=d)
    return MEAN_DIM(self, dims=_dims(dim, self._data.ndim), keepdim=keepdim, dtype=d)


def _prod_safe_zeros_backward(g, inp, dim):
    """FunctionsManual prod_safe_zeros_backward: products of the other elements via exclusive
    cumprods from both ends, safe with zeros."""
    from .creation import ones
    from .joining import cat
    from .shape import expand_as, flip, narrow
    if inp.numel() == 0:
        return expand_as(g, inp)
    if inp.shape[dim] == 1:  # torch returns grad itself (no graph through the input)
        return g
    ones_size = list(inp.shape)
    ones_size[dim] = 1
    one = ones(ones_size, dtype=g.dtype)
    n = inp.shape[dim]
    exclusive_normal = cumprod(cat([one, narrow(inp, dim, 0, n - 1)], dim), dim)
    narrow_reverse = flip(narrow(inp, dim, 1, n - 1), (dim,))
    exclusive_reverse = flip(cumprod(cat([one, narrow_reverse], dim), dim), (dim,))
    return g * (exclusive_normal * exclusive_reverse)


def _prod_backward(g, self, result):
    """FunctionsManual prod_backward (full reduction)."""
    from .._core.state import STATE
    from .creation import zeros_like
    if self.dim() == 0:
        return g
    zeros = int(np.count_nonzero(self._data == 0))
    if zeros == 0:
        return g * (result / self)
    if not STATE.grad_enabled and zeros > 1:
        return zeros_like(self)
    return reshape(_prod_safe_zeros_backward(g, reshape(self.contiguous(), (-1,)), 0), tuple(self.shape))


def _prod_dim_backward(g, self, result, dim, keepdim):
    """FunctionsManual prod_backward (along dim)."""
    if self.dim() == 0:
        return g
    if not keepdim:
        g = unsqueeze(g, dim)
        result = unsqueeze(result, dim)
    if not np.any(self._data == 0):
        return g * (result / self)
    return _prod_safe_zeros_backward(g, self, dim)


PROD = Op("prod", lambda a, dims, keepdim, dtype: np.prod(a, axis=dims, keepdims=keepdim, dtype=dtype.np),
          node="ProdBackward0", promote=None,
          grads={"self": lambda c, g: _prod_backward(g, c.self, c.result)})
PROD_DIM = Op("prod", lambda a, dims, dim, keepdim, dtype: np.prod(a, axis=dims, keepdims=keepdim,
                                                                   dtype=dtype.np),
              node="ProdBackward1", promote=None,
              grads={"self": lambda c, g: _prod_dim_backward(g, c.self, c.result, c.dim, c.keepdim)})


def prod(self, dim=None, keepdim=False, *, dtype=None):
    d = _reduce_dtype(self, dtype)
    if dim is None:
        return PROD(self, dims=None, keepdim=False, dtype=d)
    dims = _dims(dim, self._data.ndim)
    return PROD_DIM(self, dims=dims, dim=dims[0] if dims else 0, keepdim=keepdim, dtype=d)


# ATen's CPU scans accumulate in acc_type<T, /*is_cuda=*/false>: double for float, float for half
_SCAN_ACC = {np.dtype(np.float32): np.float64, np.dtype(np.float16): np.float32}


def _cumprod_kernel(a, dim, dtype):
    # (ATen's scan output is contiguous; numpy's keeps the input's layout)
    if a.ndim == 0:
        return a.astype(dtype.np)
    acc = _SCAN_ACC.get(np.dtype(dtype.np))
    if acc is not None:
        return np.cumprod(a, axis=dim, dtype=acc).astype(dtype.np, order="C")
    return _contiguous(np.cumprod(a, axis=dim, dtype=dtype.np))


def _cumsum_kernel(a, dim, dtype, self_dtype):
    if a.ndim == 0:
        return a.astype(dtype.np)
    acc = _SCAN_ACC.get(np.dtype(dtype.np))
    if acc is not None:
        return np.cumsum(a, axis=dim, dtype=acc).astype(dtype.np, order="C")
    return _contiguous(np.cumsum(a, axis=dim, dtype=dtype.np))


CUMPROD = Op("cumprod", _cumprod_kernel, node="CumprodBackward0", promote=None,
             grads={"self": lambda c, g: _cumprod_backward(g.to(c.self.dtype), c.self, c.result, c.dim)})


def _cumprod_backward(g, self, result, dim):
    """FunctionsManual cumprod_backward: reversed cumsum of grad * output over input when the
    input has no zeros; otherwise the products that omit each element, built with differentiable
    ops (torch's O(n^2) path, which it also uses for double backward)."""
    from .joining import cat
    from .shape import expand_as, narrow
    n = self.shape[dim] if self.dim() else 1
    if self.numel() <= 1 or n == 1:
        return g
    if not np.any(self._data == 0):
        return _reverse_cumsum(result * g, dim) / self
    from .._core.state import STATE
    if not STATE.grad_enabled:  # ATen's O(n) path (no double backward): NaNs spread as in torch
        return Tensor._make(_cumprod_backward_zeros_np(g._data, self._data, result._data, dim))
    from .creation import ones, zeros
    from .shape import select
    ones_size = list(self.shape)
    ones_size[dim] = 1
    one = expand(ones((1,), dtype=g.dtype), tuple(ones_size))
    # as ATen: each slice is copied into a zeros tensor (a double backward records CopySlices)
    grad_input = zeros(tuple(self.shape), dtype=g.dtype)
    for k in range(n):
        if k == 0:
            omitted = cat([one, cumprod(narrow(self, dim, 1, n - 1), dim)], dim)
        elif k == n - 1:
            omitted = prod(narrow(self, dim, 0, k), dim, True)
        else:
            until_k = prod(narrow(self, dim, 0, k), dim, True)
            from_k1 = cumprod(narrow(self, dim, k + 1, n - k - 1), dim)
            omitted = cat([until_k, expand_as(until_k, from_k1) * from_k1], dim)
        select(grad_input, dim, k).copy_(sum(narrow(g, dim, k, n - k) * omitted, dim))
    return grad_input


def _cumprod_backward_zeros_np(g, x, out, dim):
    """FunctionsManual cumprod_backward without grad mode, input with zeros: before the first
    zero, reversed cumsum of grad * output over input; at the first zero z1, the sum of grad
    times the products after z1 (up to the second zero), times output[z1 - 1]; zero after."""
    acc = np.float64 if g.dtype == np.float32 else g.dtype
    cs = np.cumsum(x == 0, axis=dim)
    before = cs == 0
    w = np.where(before, out * g, 0)
    rev = np.flip(np.cumsum(np.flip(w, dim), axis=dim, dtype=acc), dim).astype(g.dtype)
    with np.errstate(all="ignore"):
        grad_input = np.where(before, rev / x, 0).astype(g.dtype)
    between = cs == 1
    first = np.expand_dims(np.argmax(between, axis=dim), dim)
    first_mask = (np.arange(x.shape[dim]).reshape((-1,) + (1,) * (x.ndim - dim - 1)) == first) & between
    between = between & ~first_mask
    prods = np.cumprod(np.where(between, x, 1), axis=dim, dtype=acc).astype(g.dtype)
    with np.errstate(all="ignore"):
        total = np.sum(prods * np.where(cs != 1, 0, g), axis=dim, keepdims=True)
        prev = np.take_along_axis(out, np.maximum(first - 1, 0), axis=dim)
        total = total * np.where(first == 0, 1, prev).astype(g.dtype)
    return np.ascontiguousarray(np.where(first_mask, total, grad_input).astype(g.dtype))


def _cum_dtype(self, dtype):
    # cumsum/cumprod(dtype=) cast inside the kernel (no ToCopy node); integers accumulate in int64
    if dtype is not None:
        return dtype
    return dt.int64 if self._dtype.category <= 1 else self._dtype


def cumprod(self, dim, *, dtype=None):
    return CUMPROD(self, dim=_wrap_dim(dim, self._data.ndim), dtype=_cum_dtype(self, dtype))


CUMSUM = Op("cumsum", _cumsum_kernel, node="CumsumBackward0", promote=None,
            grads={"self": lambda c, g: _cumsum_backward(g.to(c.self_dtype), c.dim)})


def _cumsum_backward(g, dim):
    """FunctionsManual cumsum_backward: the gradient itself in the trivial case."""
    if g.numel() <= 1 or g.shape[dim] == 1:
        return g
    return _reverse_cumsum(g, dim)


def _reverse_cumsum(g, dim):
    from .shape import flip
    if g.dim() == 0:
        return g
    return flip(cumsum(flip(g, dim), dim), dim)


def cumsum(self, dim, *, dtype=None):
    return CUMSUM(self, dim=_wrap_dim(dim, self._data.ndim), dtype=_cum_dtype(self, dtype),
                  self_dtype=self._dtype)


# ---- max / min -------------------------------------------------------------------------------------
def _evenly(g, self, result):
    # FunctionsManual evenly_distribute_backward (CPU): a NaN max selects the NaN elements
    from .pointwise import isnan
    from .creation import zeros
    from .scatter import masked_fill_
    mask = isnan(self) if bool(np.isnan(result._data).any()) else self == result
    # zeros masked_fill_'d (not mask * share): no element equal to the result (the input's .data
    # replaced after the forward) gives zeros, not 0 * inf = NaN; records MaskedFillBackward1
    return masked_fill_(zeros(tuple(self.shape), dtype=self.dtype), mask, g / sum(mask).to(g.dtype))


def _select_backward_at(g, indices, shape, dim, keepdim):
    from .indexing import scatter_values
    # a 0-d input goes through the scatter too (torch's formula has no shortcut for it)
    g = restore_dims(g, shape, (dim,), keepdim)
    idx = restore_dims(indices, shape, (dim,), keepdim)
    return scatter_values(shape, dim, idx, g)


def _full_reduce(fn, name):
    def k(a):
        if a.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        if a.dtype.kind == "f" and np.isnan(a).any():
            return np.array(np.nan, a.dtype)
        return fn(a)
    return k


MAX_ALL = Op("max", _full_reduce(np.max, "max"), node="MaxBackward1", promote=None,
             grads={"self": lambda c, g: _evenly(g, c.self, c.result)})
MIN_ALL = Op("min", _full_reduce(np.min, "min"), node="MinBackward1", promote=None,
             grads={"self": lambda c, g: _evenly(g, c.self, c.result)})


def _arg_kernel(fn, name):
    def k(a, dim, keepdim):
        if a.ndim == 0:
            return a.copy(), np.array(0)
        if a.shape[dim] == 0:
            raise IndexError(messages.REDUCTION_DIM_EMPTY.format(name=name, dim=dim))
        idx = fn(a, axis=dim)
        if a.dtype.kind == "f":
            nan = np.isnan(a)
            if nan.any():
                idx = np.where(nan.any(axis=dim), np.argmax(nan, axis=dim), idx)
        idx = np.expand_dims(idx, dim)
        vals = np.take_along_axis(a, idx, dim)
        if not keepdim:
            vals, idx = np.squeeze(vals, dim), np.squeeze(idx, dim)
        return vals, idx.astype(np.int64)
    return k


MAX_DIM = Op("max", _arg_kernel(np.argmax, "max"), node="MaxBackward0", promote=None, multi_output=True,
             differentiable_outputs=(0,),
             grads={"self": lambda c, g: _select_backward_at(g[0], c.result1, c.shapes[0], c.dim, c.keepdim)})
MIN_DIM = Op("min", _arg_kernel(np.argmin, "min"), node="MinBackward0", promote=None, multi_output=True,
             differentiable_outputs=(0,),
             grads={"self": lambda c, g: _select_backward_at(g[0], c.result1, c.shapes[0], c.dim, c.keepdim)})


def _save_indices(res):
    fn = res[0]._grad_fn
    if fn is not None:
        fn.save("result1", res[1])
    return res


def max(self, dim=None, keepdim=False, *, out=None):
    if isinstance(dim, Tensor):
        from .pointwise import maximum
        return maximum(self, dim)
    if dim is None:
        return MAX_ALL(self)
    d = _wrap_dim(dim, self._data.ndim)
    return MaxResult(*_save_indices(MAX_DIM(self, dim=d, keepdim=keepdim)))


def min(self, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        from .pointwise import minimum
        return minimum(self, dim)
    if dim is None:
        return MIN_ALL(self)
    d = _wrap_dim(dim, self._data.ndim)
    return MinResult(*_save_indices(MIN_DIM(self, dim=d, keepdim=keepdim)))


def _restore_reduced_dims(t, ndim, dims, keepdim):
    """FunctionsManual restore_reduced_dims: a reshape (ViewBackward0) putting size-1 dims back."""
    if keepdim:
        return t
    shape = list(t.shape)
    for d in sorted(dims or ()):
        shape.insert(d, 1)
    return reshape(t, tuple(shape))


def _amax_backward(g, self, result, dims, keepdim):
    # derivatives.yaml: scale_grad_by_count(restore_reduced_dims(grad), restore_reduced_dims(result)
    # == self, dim), which is (grad / mask.sum(dim, true)) * mask
    mask = _restore_reduced_dims(result, self.dim(), dims, keepdim) == self
    return (_restore_reduced_dims(g, self.dim(), dims, keepdim) / sum(mask, dims, keepdim=True)) * mask


def _first_extreme(a, dims, keepdim, arg):
    """amax/amin over dims: the first of equal values, as ATen's loop keeps its accumulator on a
    tie (max_impl: -0.0 then 0.0 gives -0.0; numpy's maximum keeps the later one), NaN if any."""
    if a.dtype.kind != "f" or a.size == 0 or a.ndim == 0:
        fn = np.max if arg is np.argmax else np.min
        return fn(a, axis=dims, keepdims=keepdim)
    dims = tuple(range(a.ndim)) if dims is None else tuple(dims)
    kept = [d for d in range(a.ndim) if d not in dims]
    rows = np.transpose(a, kept + list(dims)).reshape([a.shape[d] for d in kept] + [-1])
    out = np.take_along_axis(rows, arg(rows, axis=-1)[..., None], -1)[..., 0]
    if keepdim:
        out = out.reshape([1 if d in dims else n for d, n in enumerate(a.shape)])
    return out


AMAX = Op("amax", lambda a, dims, keepdim: _first_extreme(a, dims, keepdim, np.argmax), node="AmaxBackward0",
          promote=None, grads={"self": lambda c, g: _amax_backward(g, c.self, c.result, c.dims, c.keepdim)})
AMIN = Op("amin", lambda a, dims, keepdim: _first_extreme(a, dims, keepdim, np.argmin), node="AminBackward0",
          promote=None, grads={"self": lambda c, g: _amax_backward(g, c.self, c.result, c.dims, c.keepdim)})


def _check_amax(name, self, dim):
    a = self._data
    if dim == () or dim is None or (isinstance(dim, (list, tuple)) and not len(dim)):
        if a.size == 0:
            raise RuntimeError(messages.REDUCTION_NUMEL_ZERO.format(name=name) + " "
                               + messages.REDUCTION_SPECIFY_DIM)
        return
    given = list(dim) if isinstance(dim, (list, tuple)) else [dim]
    for d, g in zip(_dims(dim, a.ndim) or (), sorted(given, key=lambda x: x + a.ndim if x < 0 else x)):
        if a.ndim and a.shape[d] == 0:  # the dim as the caller gave it
            raise IndexError(messages.REDUCTION_DIM_EMPTY.format(name=name, dim=g))


def amax(self, dim=(), keepdim=False):
    _check_amax("amax", self, dim)
    return AMAX(self, dims=_dims(dim if dim != () else None, self._data.ndim), keepdim=keepdim)


def amin(self, dim=(), keepdim=False):
    _check_amax("amin", self, dim)
    return AMIN(self, dims=_dims(dim if dim != () else None, self._data.ndim), keepdim=keepdim)


class AminmaxResult(tuple):
    """torch.return_types.aminmax: the pair (min, max)."""
    __slots__ = ()
    _fields = ("min", "max")

    def __new__(cls, lo, hi):
        return tuple.__new__(cls, (lo, hi))

    @property
    def min(self):
        return self[0]

    @property
    def max(self):
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.aminmax(\nmin={self[0]!r},\nmax={self[1]!r})"


def _aminmax_kernel(a, dims, keepdim, full, **_):
    if a.ndim == 0:
        return a.copy(), a.copy()
    if full:
        # ATen's all-elements kernel keeps the last of equal values (-0.0/0.0) where the dim
        # kernel keeps the first; exact up to 8 elements (longer rows: its vector lanes decide)
        flat = a.reshape(-1)[::-1]
        shape = (1,) * a.ndim if keepdim else ()
        return (_first_extreme(flat, None, False, np.argmin).reshape(shape),
                _first_extreme(flat, None, False, np.argmax).reshape(shape))
    return _first_extreme(a, dims, keepdim, np.argmin), _first_extreme(a, dims, keepdim, np.argmax)


def _aminmax_backward(g, self, lo, hi, dims, keepdim):
    """FunctionsManual aminmax_backward: zeros, plus each defined gradient shared evenly between
    the elements equal to its result (the sum written out of place: the same AddBackward0)."""
    from .creation import zeros_like
    out = zeros_like(self)
    for grad, result in ((g[0], lo), (g[1], hi)):
        if grad is not None:
            out = out + _amax_backward(grad, self, result, dims, keepdim)
    return out


AMINMAX = Op("aminmax", _aminmax_kernel, node="AminmaxBackward0", promote=None, multi_output=True,
             grads={"self": lambda c, g: _aminmax_backward(g, c.self, c.result, c.result1, c.dims,
                                                           c.keepdim)})


def aminmax(self, *, dim=None, keepdim=False):
    a = self._data
    if dim is None:
        if a.size == 0:
            raise RuntimeError(messages.AMINMAX_EMPTY)
        dims = tuple(range(a.ndim))
    else:
        d = _wrap_dim(dim, a.ndim)
        if a.ndim and a.shape[d] == 0:
            raise IndexError(messages.AMINMAX_DIM_EMPTY.format(dim=d))
        dims = (d,) if a.ndim else ()
    return AminmaxResult(*AMINMAX(self, dims=dims, keepdim=keepdim, full=dim is None))


def _argext(fn, name):
    def k(a, dim, keepdim):
        if a.dtype == np.bool_:
            raise RuntimeError(messages.ARG_REDUCTION_BOOL.format(name=name))
        if a.ndim == 0:
            return np.array(0, dtype=np.int64)
        if dim is None and a.size == 0:
            raise IndexError(messages.REDUCTION_NUMEL_ZERO.format(name=name))
        if dim is not None and a.shape[dim] == 0:
            raise IndexError(messages.REDUCTION_DIM_EMPTY.format(name=name, dim=dim))
        if dim is None:
            r = fn(a.reshape(-1))
            return np.array(r, dtype=np.int64).reshape((1,) * a.ndim if keepdim else ())
        r = np.asarray(fn(a, axis=dim)).astype(np.int64)
        return np.expand_dims(r, dim) if keepdim else r
    return k


ARGMAX = Op("argmax", _argext(np.argmax, "argmax"), promote=None, nondifferentiable=True)
ARGMIN = Op("argmin", _argext(np.argmin, "argmin"), promote=None, nondifferentiable=True)


def argmax(self, dim=None, keepdim=False):
    if self._dtype is dt.bool_:  # the dtype check comes before the dim's
        raise RuntimeError(messages.ARG_REDUCTION_BOOL.format(name="argmax"))
    return ARGMAX(self, dim=None if dim is None else _wrap_dim(dim, self._data.ndim), keepdim=keepdim)


def argmin(self, dim=None, keepdim=False):
    if self._dtype is dt.bool_:
        raise RuntimeError(messages.ARG_REDUCTION_BOOL.format(name="argmin"))
    return ARGMIN(self, dim=None if dim is None else _wrap_dim(dim, self._data.ndim), keepdim=keepdim)


# ---- var / std / norm / logsumexp -------------------------------------------------------------------
def _var_all(a, correction, keepdim):
    """std_var_all_cpu, ATen's path when a float32 reduction covers every dim: the mean is
    self.mean() in float32, then the squared deviations from it are summed in double; so a
    constant tensor whose float32 mean is not exact has a tiny non-zero variance, as in torch."""
    m = np.float64(np.mean(a, dtype=np.float32))
    d = a.astype(np.float64).reshape(-1) - m
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.float64(np.dot(d, d)) / np.float64(a.size - correction if a.size > correction else 0)
    return np.full((1,) * a.ndim if keepdim else (), var)


def _var_acc(a, dims, correction, keepdim):
    if a.dtype == np.float32 and a.size > 1 and (dims is None or len(set(dims)) == a.ndim):
        return _var_all(a, correction, keepdim)
    # numpy divides by max(0, n - correction) as ATen does: inf (or NaN for a zero sum) past it.
    # ATen's CPU Welford accumulates half/float in double (and std takes the sqrt before the cast)
    acc = np.float64 if a.dtype.kind == "f" and a.dtype.itemsize < 8 else None
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.var(a, axis=dims, ddof=correction, keepdims=keepdim, dtype=acc)


def _var_kernel(a, dims, correction, keepdim, bdims=None):
    # a complex input's variance is real, of the matching precision (np.finfo: complex64 -> float32)
    return _var_acc(a, dims, correction, keepdim).astype(np.finfo(a.dtype).dtype, copy=False)


def _var_backward(g, self, dims, correction, keepdim):
    """FunctionsManual var_backward. `dims` None (no dim given, or a 0-d input) scales by the whole
    numel; otherwise by the product of the sizes in dims, so an explicit empty dim list counts 1
    element though the forward reduced everything (as in torch)."""
    if dims is None:
        dof = self.numel() - correction
        if dof <= 0:  # inf where self differs from its mean, NaN (inf * 0) where it equals it
            # C++ `(grad * at::where(self == self.mean(), NaN, inf)).to(self.scalar_type())`: the
            # where is of the default dtype, and the product (0-d grad) takes its dtype
            flat = self.detach()
            scale = np.where(flat._data == mean(flat)._data, np.nan, np.inf).astype(dt.get_default_dtype().np)
            return (g * Tensor._make(scale)).to(self.dtype)
        return _mul_scalar(g, 2.0 / dof) * (self - mean(self))
    n = _numel(self.shape, dims)
    if not keepdim and self.dim() > 1:
        g = restore_dims(g, self.shape, dims, keepdim)
    dof = n - correction
    scale = 2.0 / dof if dof else float("inf")
    # C++ `(SymFloat(2.0) / (rnumel - correction)) * grad`: mul.Scalar (MulBackward1)
    return _mul_scalar(g, scale) * (self - mean(self, dims, keepdim=True))


def _mul_scalar(t, s):
    from .nn_ops import MUL_SCALAR
    return MUL_SCALAR(t, other=s)


def _std_backward(g, self, result, dims, correction, keepdim):
    # FunctionsManual std_backward: (grad / (result * 2)).masked_fill_(result == 0, 0), in place
    # (so a ZeroTensor gradient, whose quotient is one, raises as in torch)
    from .scatter import masked_fill_
    return _var_backward(masked_fill_(g / _mul_scalar(result, 2), result == 0, 0), self, dims, correction,
                         keepdim)


def _std_kernel(a, dims, correction, keepdim, bdims=None):
    return np.sqrt(_var_acc(a, dims, correction, keepdim)).astype(np.finfo(a.dtype).dtype, copy=False)


VAR = Op("var", _var_kernel, node="VarBackward0", promote=None,
         grads={"self": lambda c, g: _var_backward(g, c.self, c.bdims, c.correction, c.keepdim)})
STD = Op("std", _std_kernel, node="StdBackward0", promote=None,
         grads={"self": lambda c, g: _std_backward(g, c.self, c.result, c.bdims, c.correction, c.keepdim)})


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased in (None, True) else 0


def _var_args(self, dim, unbiased, correction):
    """(forward dims, backward dims, correction): backward dims are None without a dim or for a 0-d
    input, and keep an explicit empty list empty."""
    if self._dtype.category < 2:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    dims = None if dim is None else _dims(dim, self._data.ndim)
    if dim is None or self._data.ndim == 0:
        bdims = None
    else:
        bdims = () if not isinstance(dim, int) and len(dim) == 0 else dims
    return dims, bdims, _correction(unbiased, correction)


def _warn_dof(name, self, dims, corr) -> None:
    """ATen's std_var_out warns when the reduction factor is not above the correction."""
    # ATen: input numel / output numel, which is 0 for an empty input
    n = 0 if not self._data.size else self._data.size if dims is None else _numel(self.shape, dims)
    if n - corr <= 0:
        warnings.warn(messages.STD_VAR_DOF.format(name=name), UserWarning, stacklevel=3)


def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dims, bdims, corr = _var_args(self, dim, unbiased, correction)
    _warn_dof("var", self, dims, corr)
    return VAR(self, dims=dims, bdims=bdims, correction=corr, keepdim=keepdim)


def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dims, bdims, corr = _var_args(self, dim, unbiased, correction)
    _warn_dof("std", self, dims, corr)
    return STD(self, dims=dims, bdims=bdims, correction=corr, keepdim=keepdim)


def _norm_kernel(a, p, dims, keepdim):
    x = np.abs(a)
    if p == float("inf"):
        return np.max(x, axis=dims, keepdims=keepdim)
    if p == -float("inf"):
        return np.min(x, axis=dims, keepdims=keepdim)
    if p == 0:
        return np.sum(x != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
    if p == 2:
        return np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
    return np.power(np.sum(np.power(x, p), axis=dims, keepdims=keepdim), 1.0 / p)


def _norm_backward(g, self, result, p, dims, keepdim):
    # FunctionsManual norm_backward, declared once beside linalg_vector_norm
    from .linalg import _vector_norm_backward
    return _vector_norm_backward(g, self, result, p, dims, keepdim)


NORM = Op("linalg_vector_norm", _norm_kernel, node="LinalgVectorNormBackward0", promote=None,
          grads={"self": lambda c, g: _norm_backward(g, c.self, c.result, c.p, c.dims, c.keepdim)})


def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    if p == "fro" or p is None:
        p = 2
    x = self if self._dtype.category >= 2 else self.to(dt.get_default_dtype())
    dims = None if dim is None else _dims(dim, x._data.ndim)
    return NORM(x, p=float(p), dims=dims, keepdim=keepdim)


def _lse_kernel(a, dims, keepdim):
    m = np.max(a, axis=dims, keepdims=True, initial=-np.inf)  # -inf (log of an empty sum) if empty
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=dims, keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=dims)


LOGSUMEXP = Op("logsumexp", _lse_kernel, node="LogsumexpBackward0", promote="float",
               grads={"self": lambda c, g: restore_dims(g, c.shapes[0], c.dims, c.keepdim)
                      * (c.self - restore_dims(c.result, c.shapes[0], c.dims, c.keepdim)).exp()})


def logsumexp(self, dim, keepdim=False):
    return LOGSUMEXP(self, dims=_dims(dim, self._data.ndim), keepdim=keepdim)


# ---- logcumsumexp ----------------------------------------------------------------------------------
def _logcumsumexp_kernel(a, dim):
    if a.dtype.kind in "biuc":  # complex too: numpy's logaddexp has no complex loop
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel="logcumsumexp_out_cpu", dtype=dt._BY_NP[a.dtype].short_name))
    if a.ndim == 0:
        return a.copy()
    # ATen scans with log1p(exp(min - max)) + max in the accumulate type (double for float, float
    # for half), rounding each output; numpy's logaddexp is that formula (x == y gives x + log 2,
    # which also keeps -inf + -inf at -inf), and accumulate runs the scan in C.
    acc = np.float32 if a.dtype == np.float16 else np.float64
    return _contiguous(np.logaddexp.accumulate(a.astype(acc), axis=dim).astype(a.dtype, copy=False))


def _logcumsumexp_backward(g, self, result, dim):
    """FunctionsManual logcumsumexp_backward: the positive and negative parts of grad, each as a
    reversed logcumsumexp in log space, so nothing overflows (-inf inputs give NaN, as in torch)."""
    if g.dim() == 0 or g.numel() == 0:
        return g
    from .creation import full
    from .pointwise import where
    from .shape import flip
    lowest = full((), float(np.finfo(g._dtype.np).min), dtype=g._dtype)
    log_abs = g.abs().log()
    pos = where(g > 0, log_abs, lowest)
    neg = where(g < 0, log_abs, lowest)

    def reverse(x):
        return flip(logcumsumexp(flip(x, dim), dim), dim)

    return (reverse(pos - result) + self).exp() - (reverse(neg - result) + self).exp()


LOGCUMSUMEXP = Op("logcumsumexp", _logcumsumexp_kernel, node="LogcumsumexpBackward0", promote=None,
                  grads={"self": lambda c, g: _logcumsumexp_backward(g, c.self, c.result, c.dim)})


_REQUIRED = object()


def logcumsumexp(input, dim=_REQUIRED, *, _method=False):
    if dim is _REQUIRED:
        raise TypeError(messages.MISSING_POSITIONAL_ARG.format(fn="logcumsumexp", arg="dim"))
    if not isinstance(dim, int) or isinstance(dim, bool):  # the argument parser's int check
        raise TypeError(messages.ARG_MUST_BE_INT.format(fn="logcumsumexp", arg="dim",
                                                        position=1 if _method else 2, type=type(dim).__name__))
    return LOGCUMSUMEXP(input, dim=_wrap_dim(dim, input._data.ndim))


def _contiguous(out):
    """ATen's softmax output is contiguous whatever its input's layout (numpy keeps the layout)."""
    return out if out.flags.c_contiguous else np.ascontiguousarray(out)


def _softmax_kernel(a, dim):
    # ATen's CPU kernels: exp rounded to float32 (numpy's float32 exp is often 1 ulp off: wide
    # here, as unary exp), sums in the dtype; along the last dim the row is scaled by 1 / sum,
    # along another dim divided by it (float16 keeps the plain numpy path)
    m = np.max(a, axis=dim, keepdims=True, initial=-np.inf)
    d = a - m
    e = np.exp(d.astype(np.float64)).astype(np.float32) if a.dtype == np.float32 else np.exp(d)
    s = np.sum(e, axis=dim, keepdims=True)
    if a.dtype != np.float16 and (a.ndim == 0 or dim == a.ndim - 1):
        return _contiguous(e * (np.ones((), a.dtype) / s))
    return _contiguous(e / s)


def _log_softmax_kernel(a, dim):
    # the ufuncs' reduce, as np.max / np.sum call it, without their Python wrappers (small inputs)
    m = np.maximum.reduce(a, axis=dim, keepdims=True, initial=-np.inf)
    s = a - m
    return _contiguous(s - np.log(np.add.reduce(np.exp(s), axis=dim, keepdims=True)))


def _softmax_backward_kernel(g, y, dim):
    return (g - np.sum(g * y, axis=dim if y.ndim else None, keepdims=True)) * y


def _log_softmax_backward_kernel(g, y, dim):
    return g - np.exp(y) * np.add.reduce(g, axis=dim if y.ndim else None, keepdims=True)


# derivatives.yaml: the derivatives of softmax/log_softmax are ops of their own
# (_softmax_backward_data, _log_softmax_backward_data), so a double backward records
# SoftmaxBackwardDataBackward0 / LogSoftmaxBackwardDataBackward0 with formulas of their own
SOFTMAX_BACKWARD = Op("_softmax_backward_data", _softmax_backward_kernel, node="SoftmaxBackwardDataBackward0",
                      inputs=("grad_output", "output"), promote=None,
                      grads={"grad_output": lambda c, g: SOFTMAX_BACKWARD(g, c.output, dim=c.dim),
                             "output": lambda c, g: c.grad_output * g
                             - sum(c.output * c.grad_output, c.dim, keepdim=True) * g
                             - c.grad_output * sum(c.output * g, c.dim, keepdim=True)})
LOG_SOFTMAX_BACKWARD = Op("_log_softmax_backward_data", _log_softmax_backward_kernel,
                          node="LogSoftmaxBackwardDataBackward0", inputs=("grad_output", "output"), promote=None,
                          grads={"grad_output": lambda c, g: g - sum(g * c.output.exp(), c.dim, keepdim=True),
                                 "output": lambda c, g: -sum(c.grad_output, c.dim, keepdim=True)
                                 * c.output.exp() * g})
SOFTMAX = Op("softmax", _softmax_kernel, node="SoftmaxBackward0", promote="float",
             grads={"self": lambda c, g: SOFTMAX_BACKWARD(g, c.result, dim=c.dim)})
LOG_SOFTMAX = Op("log_softmax", _log_softmax_kernel, node="LogSoftmaxBackward0", promote="float",
                 grads={"self": lambda c, g: LOG_SOFTMAX_BACKWARD(g, c.result, dim=c.dim)})


def _softmax_input(self, dim, dtype, name):
    x = self if dtype is None else self.to(dtype)
    d = _wrap_dim(dim, x._data.ndim)
    if x._dtype.category < 2 and x._data.size:  # ATen's kernels are for floating types only
        last = "_lastdim" if x._data.ndim == 0 or d == x._data.ndim - 1 else ""
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel=f"{name}{last}_kernel_impl", dtype=x._dtype.short_name))
    return x, d


def softmax(self, dim=None, dtype=None, _stacklevel=3):
    x, d = _softmax_input(self, dim, dtype, "softmax")
    if x._dtype.category < 2:  # empty: ATen returns it without dispatching on its dtype
        return x.clone()
    return SOFTMAX(x, dim=d)


def log_softmax(self, dim=None, dtype=None, _stacklevel=3):
    x, d = _softmax_input(self, dim, dtype, "log_softmax")
    if x._dtype.category < 2:  # empty: ATen returns it without dispatching on its dtype
        return x.clone()
    return LOG_SOFTMAX(x, dim=d)


# ---- boolean reductions ----------------------------------------------------------------------------
def _bool_reduce(fn):
    def kernel(a, dims, keepdim):  # bool results, except uint8 in, uint8 out (as in torch)
        out = fn(a, axis=dims, keepdims=keepdim)
        return np.asarray(out, np.uint8) if a.dtype == np.uint8 else out
    return kernel


_ALL = Op("all", _bool_reduce(np.all), promote=None, nondifferentiable=True)
_ANY = Op("any", _bool_reduce(np.any), promote=None, nondifferentiable=True)
_COUNT_NONZERO = Op("count_nonzero", lambda a, dims: np.asarray(np.count_nonzero(a, axis=dims), np.int64),
                    promote=None, nondifferentiable=True)


# ATen allocates a reduction's output contiguous (resize_reduction: set_output_raw_strided with no
# strides) whatever the input's layout; numpy's reductions follow the input's layout, and keepdim
# dims may get any stride. A fresh C-order copy has torch's strides (size-1 dims included); only
# outputs of 2+ dims that are not contiguous or have a size-1 dim pay for it.
def _reduction_layout(out):
    if type(out) is not np.ndarray or out.ndim < 2 or (out.flags.c_contiguous and 1 not in out.shape):
        return out
    return out.copy()


def _contiguous_output(kernel):
    def k(*arrays, **attrs):
        out = kernel(*arrays, **attrs)
        if type(out) is tuple:  # max/min with a dim: (values, indices)
            return tuple([_reduction_layout(o) for o in out])
        return _reduction_layout(out)
    return k


for _op in (SUM, SUM_DIM, NANSUM, MEAN, MEAN_DIM, PROD, PROD_DIM, MAX_DIM, MIN_DIM, AMAX, AMIN, ARGMAX,
            ARGMIN, VAR, STD, NORM, LOGSUMEXP, _ALL, _ANY, _COUNT_NONZERO):
    _op.kernel = _contiguous_output(_op.kernel)
del _op


def all(self, dim=None, keepdim=False):
    return _ALL(self, dims=None if dim is None else _dims(dim, self._data.ndim), keepdim=keepdim)


def any(self, dim=None, keepdim=False):
    return _ANY(self, dims=None if dim is None else _dims(dim, self._data.ndim), keepdim=keepdim)


def count_nonzero(self, dim=None):
    return _COUNT_NONZERO(self, dims=None if dim is None else _dims(dim, self._data.ndim))
