"""Binds the ops onto Tensor: methods, operators, in-place variants, dtype conversions."""
from __future__ import annotations

import numpy as np

from .._autograd.node import expose_saved
from .._core import dtypes as dt
from .._core import messages
from .._core.device import check_device, device as _device
from .._tensor import Tensor
from . import creation, indexing, linalg, pointwise as P, reduction as R, shape as S
from .dispatch import wrap_scalar


# ---- dtype conversions ----------------------------------------------------------------------
_PY_DTYPES = (int, float, bool, complex)


def _to_bad_target(args, kwargs) -> None:
    """torch's to() grammar for the target: a device (str, torch.device or an int index of an
    accelerator, of which there is none), a dtype, a tensor (or a Python number, which its parser
    wraps as one), or None; anything else matches no overload."""
    from . import arg_parser
    for a, positional in ((args[0] if args else None, True), (kwargs.get("device"), False)):
        if a is None or isinstance(a, (str, _device, dt.dtype, Tensor)):
            continue
        if isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)):
            raise RuntimeError(messages.DEVICE_INDEX_NEGATIVE if a < 0 else messages.NO_ACCELERATOR)
        if positional and (isinstance(a, (float, complex, bool, np.number, np.bool_))
                           or any(a is t for t in _PY_DTYPES)):
            continue
        got = ", ".join([arg_parser._got(v) for v in args]
                        + [f"{k}={arg_parser._got(v)}" for k, v in kwargs.items()])
        if kwargs and not args:  # (torch's text then ends with the separator: "got (device=float, )")
            got += ", "
        raise TypeError(messages.ARG_COMBINATION.format(name="to", got=got,
                                                        signatures=messages.TO_OVERLOADS))


def to(self, *args, **kwargs):
    if (args and not isinstance(args[0], (dt.dtype, Tensor, str, _device))) \
            or kwargs.get("device") is not None:
        _to_bad_target(args, kwargs)
    dtype = kwargs.get("dtype")
    copy = kwargs.get("copy", False)
    for a in args:
        if isinstance(a, dt.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a._dtype
        elif isinstance(a, (str, _device)):
            check_device(a)
    check_device(kwargs.get("device"))
    if dtype is None:
        return P.clone(self) if copy else self
    return P.to_dtype(self, dtype, copy)


def _caster(d):
    def cast(self, memory_format=None):
        return P.to_dtype(self, d)
    return cast


def _no_op_device(self, *args, **kwargs):
    return self


def _to_cuda(self, *args, **kwargs):
    raise AssertionError(messages.NO_CUDA)


# ---- in-place variants ------------------------------------------------------------------------
def _inplace_binary(op):
    def method(self, other, **attrs):
        return P.inplace_pointwise(op, self, other, **attrs)
    return method


add_, sub_ = P.add_, P.sub_
from . import arithmetic as _A  # noqa: E402  (add/sub methods: their deprecated overload's text)


def div_(self, other, *, rounding_mode=None):
    op = P._div_op(rounding_mode)
    attrs = {} if rounding_mode is None else {"rounding_mode": rounding_mode}
    return P.inplace_pointwise(op, self, other, **attrs)


def pow_(self, exponent):
    if isinstance(exponent, Tensor):
        return P.inplace_pointwise(P.POW_TENSOR, self, exponent)
    try:
        P._check_scalar_cast(self, exponent, overlap_first=False)
    except RuntimeError:
        # torch's autograd kernel clones self (PowBackward0 saves it) before the kernel's cast
        # check: for a bool/integer self that requires grad, that clone's set_history raises
        from .._autograd import views
        from .._core.state import STATE
        views.check_inplace_first(self)
        if STATE.grad_enabled and views.requires_grad(self) and self._dtype.category < 2:
            raise RuntimeError(messages.AUTOGRAD_DTYPE.format(dtype=self._dtype.short_name)) from None
        views.check_overlap(self, (), internal=True, partial=False)  # TensorIterator's, before its cast check
        raise
    return P.POW_SCALAR.inplace(self, exponent=exponent)


def _unary_inplace(op):
    def method(self):
        return op.inplace(self)
    method.__name__ = op.name + "_"
    return method


def _inplace_view_data(self, fn, dim):
    """The new data of squeeze_/unsqueeze_; a bad dim is reported after check_inplace, as torch's
    autograd kernel checks the in-place write before the op sees its arguments."""
    try:
        return fn(self.detach(), dim)._data
    except Exception:
        from .._autograd import views
        from .._core.state import STATE
        views.check_inplace(self, STATE.grad_enabled and views.requires_grad(self), zero_message=None)
        raise


def squeeze_(self, dim=None):
    return _metadata_inplace(self, _inplace_view_data(self, S.squeeze, dim),
                             "SqueezeBackward" + ("0" if dim is None else "4"),
                             lambda g, shape=self.shape: S.reshape(g, shape))


def unsqueeze_(self, dim):
    return _metadata_inplace(self, _inplace_view_data(self, S.unsqueeze, dim), "UnsqueezeBackward1",
                             lambda g, d=dim: S.squeeze(g, d))


def t_(self):
    return _metadata_inplace(self, self._data.T, "TBackward1", lambda g: S.t(g))


def transpose_(self, dim0, dim1):
    return _metadata_inplace(self, np.swapaxes(self._data, dim0, dim1), "TransposeBackward1",
                             lambda g: S.transpose(g, dim0, dim1))


_META_NODES: dict = {}


# attributes set after recording (NOTE [Saved attributes])
expose_saved("backward")


def _metadata_inplace(self, new_data, node_name, backward):
    """In-place ops that change only shape/strides (t_, squeeze_...): version bump, new node."""
    from .._autograd import views
    from .._autograd.node import node_class
    from .._core.state import STATE
    rec = STATE.grad_enabled and views.requires_grad(self)
    views.check_inplace(self, rec, zero_message=None)  # a ZeroTensor may change its geometry
    edge = views.edge(self) if rec else None
    self._data = new_data
    self._bump_version()
    if rec:
        if self._dtype.category < 2:  # set_history, after the metadata change (as torch)
            raise RuntimeError(messages.AUTOGRAD_DTYPE.format(dtype=self._dtype.short_name))
        cls = _META_NODES.get(node_name)
        if cls is None:
            cls = _META_NODES[node_name] = node_class(node_name, lambda c, g: (c.backward(g),))
        node = cls()
        node.next_functions = (edge,)
        node._out_meta = ((new_data.shape, self._dtype),)
        node._attrs = {"backward": backward}
        self._grad_fn = node
        self._output_nr = 0
        if self._view is not None:  # torch's set_gradient_edge: a view keeps this grad_fn
            self._view.version = self._vc.version
    return self


# ---- operators ---------------------------------------------------------------------------------
def _rsub(self, other):
    return P.rsub(self, other)


def _rtruediv(self, other):
    return P.rdiv(self, other)


def _rpow(self, other):
    return P.pow(other, self)


def _rmatmul(self, other):
    return linalg.matmul(other, self)


def _rfloordiv(self, other):
    return P.floor_divide(wrap_scalar(other), self)


def _rmod(self, other):
    return P.remainder(other, self)


def _iop(op_inplace):
    def method(self, other):
        return op_inplace(self, other)
    return method


def _eq(self, other):
    if other is None:
        return False
    return P.eq(self, other)


def _ne(self, other):
    if other is None:
        return True
    return P.ne(self, other)


def _invert(self):
    if self._dtype.category >= 2:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return P.bitwise_not(self)  # (for bool too, as torch: its autograd fallback, then logical not)


def _apply(self, *ops):
    return self


METHODS = {
    # conversions
    "to": to, "float": _caster(dt.float32), "double": _caster(dt.float64), "half": _caster(dt.float16),
    "long": _caster(dt.int64), "int": _caster(dt.int32), "short": _caster(dt.int16),
    "char": _caster(dt.int8), "byte": _caster(dt.uint8), "bool": _caster(dt.bool_),
    "cpu": _no_op_device, "cuda": _to_cuda, "clone": P.clone, "copy_": P.copy_,
    "type_as": lambda self, other: P.to_dtype(self, other._dtype),
    # arithmetic
    "add": _A.add_method, "sub": _A.sub_method, "subtract": _A.subtract, "mul": P.mul,
    "multiply": P.mul, "div": P.div,
    "divide": P.div, "true_divide": P.div, "floor_divide": P.floor_divide, "remainder": P.remainder,
    "fmod": P.fmod, "pow": P.pow, "square": P.square, "neg": P.neg, "negative": P.neg, "abs": P.abs,
    "absolute": P.abs, "sign": P.sign, "sgn": P.sign,
    "add_": add_, "sub_": sub_, "subtract_": _A.subtract_, "mul_": _inplace_binary(P.MUL),
    "multiply_": _inplace_binary(P.MUL), "div_": div_, "divide_": div_, "true_divide_": div_,
    "pow_": pow_, "remainder_": P.remainder_, "fmod_": P.fmod_,
    "floor_divide_": P.floor_divide_, "square_": lambda self: pow_(self, 2),
    "rsub": P.rsub, "neg_": P.neg_, "negative_": P.neg_,
    # unary
    "exp": P.exp, "exp2": P.exp2, "expm1": P.expm1, "log": P.log, "log2": P.log2, "log10": P.log10,
    "log1p": P.log1p, "sqrt": P.sqrt, "rsqrt": P.rsqrt, "sin": P.sin, "cos": P.cos, "tan": P.tan,
    "tanh": P.tanh, "sigmoid": P.sigmoid, "asin": P.asin, "acos": P.acos, "atan": P.atan,
    "arcsin": P.asin, "arccos": P.acos, "arctan": P.atan, "sinh": P.sinh, "cosh": P.cosh,
    "reciprocal": P.reciprocal, "relu": P.relu, "floor": P.floor, "ceil": P.ceil, "round": P.round,
    "trunc": P.trunc, "fix": P.trunc, "frac": P.frac,
    "clamp": P.clamp_method, "clip": P.clip_method, "clamp_min": P.clamp_min, "clamp_max": P.clamp_max,
    "clamp_": P.clamp_, "clip_": P.clip_, "clamp_min_": P.clamp_min_, "clamp_max_": P.clamp_max_,
    "maximum": P.maximum_method, "minimum": P.minimum_method, "where": P.where_method,
    # comparisons / logical
    "eq": P.eq, "ne": P.ne, "lt": P.lt, "le": P.le, "gt": P.gt, "ge": P.ge, "not_equal": P.ne,
    "greater": P.gt, "less": P.lt, "greater_equal": P.ge, "less_equal": P.le,
    "logical_and": P.logical_and, "logical_or": P.logical_or, "logical_xor": P.logical_xor,
    "logical_not": P.logical_not, "logical_and_": P.logical_and_, "logical_or_": P.logical_or_,
    "logical_xor_": P.logical_xor_, "logical_not_": P.logical_not_,
    "eq_": P.eq_, "ne_": P.ne_, "lt_": P.lt_, "le_": P.le_, "gt_": P.gt_, "ge_": P.ge_,
    "bitwise_and": P.bitwise_and, "bitwise_or": P.bitwise_or,
    "bitwise_xor": P.bitwise_xor, "bitwise_not": P.bitwise_not,
    "isnan": P.isnan, "isinf": P.isinf, "isfinite": P.isfinite,
    "equal": lambda self, other: self.shape == other.shape and bool(np.array_equal(self._data, other._data)),
    # reductions
    "sum": R.sum, "nansum": R.nansum, "nanmean": R.nanmean, "mean": R.mean, "prod": R.prod, "max": R.max, "min": R.min,
    "amax": R.amax, "amin": R.amin, "aminmax": R.aminmax, "argmax": R.argmax, "argmin": R.argmin,
    "var": R.var, "std": R.std,
    "norm": R.norm, "logsumexp": R.logsumexp, "softmax": R.softmax, "log_softmax": R.log_softmax,
    "cumsum": R.cumsum, "cumprod": R.cumprod, "all": R.all, "any": R.any,
    "count_nonzero": R.count_nonzero, "sum_to_size": R.sum_to_size,
    # linear algebra
    "matmul": linalg.matmul, "mm": linalg.mm, "mv": linalg.mv, "dot": linalg.dot, "bmm": linalg.bmm,
    "outer": linalg.outer, "ger": linalg.outer, "inner": linalg.inner,
    # shape and views
    "view": S.view, "view_as": S.view_as, "reshape": S.reshape, "reshape_as": S.reshape_as,
    "flatten": S.flatten, "unflatten": S.unflatten, "contiguous": S.contiguous,
    "transpose": S.transpose, "swapaxes": S.transpose, "swapdims": S.transpose, "t": S.t,
    "permute": S.permute, "movedim": S.movedim, "moveaxis": S.movedim, "unsqueeze": S.unsqueeze,
    "squeeze": S.squeeze, "expand": S.expand, "expand_as": S.expand_as, "broadcast_to": S.broadcast_to,
    "select": S.select, "narrow": S.narrow, "diagonal": S.diagonal, "unfold": S.unfold,
    "as_strided": S.as_strided, "unbind": S.unbind, "split": S.split,
    "split_with_sizes": S.split_with_sizes, "chunk": S.chunk, "tensor_split": S.tensor_split,
    "flip": S.flip, "squeeze_": squeeze_, "unsqueeze_": unsqueeze_, "t_": t_, "transpose_": transpose_,
    # indexing
    "__getitem__": indexing.getitem, "__setitem__": indexing.setitem, "index_put_": indexing.index_put_,
    "index_put": indexing.index_put, "masked_fill": indexing.masked_fill,
    "masked_fill_": indexing.masked_fill_, "gather": indexing.gather, "index_select": indexing.index_select,
    "masked_select": indexing.masked_select, "nonzero": indexing.nonzero, "fill_": indexing.fill_,
    "zero_": indexing.zero_, "_gather_flat": indexing._gather_flat, "_scatter_flat": indexing._scatter_flat,
    "_put_flat": indexing._put_flat,
    "index_add_": indexing.index_add_, "index_add": indexing.index_add, "scatter_": indexing.scatter_,
    "scatter": indexing.scatter, "scatter_add_": indexing.scatter_add_, "scatter_add": indexing.scatter_add,
    # operators
    "__add__": P.add, "__radd__": P.add, "__sub__": P.sub, "__rsub__": _rsub, "__mul__": P.mul,
    "__rmul__": P.mul, "__truediv__": P.div, "__rtruediv__": _rtruediv, "__floordiv__": P.floor_divide,
    "__rfloordiv__": _rfloordiv, "__mod__": P.remainder, "__rmod__": _rmod, "__pow__": P.pow,
    "__rpow__": _rpow, "__matmul__": linalg.matmul, "__rmatmul__": _rmatmul, "__neg__": P.neg,
    "__pos__": lambda self: self, "__abs__": P.abs, "__invert__": _invert,
    "__and__": P.bitwise_and, "__or__": P.bitwise_or, "__xor__": P.bitwise_xor,
    "__rand__": P.bitwise_and, "__ror__": P.bitwise_or, "__rxor__": P.bitwise_xor,
    "__iadd__": _iop(add_), "__isub__": _iop(sub_), "__imul__": _iop(_inplace_binary(P.MUL)),
    "__itruediv__": _iop(div_), "__ipow__": _iop(pow_), "__imod__": _iop(P.remainder_),
    "__ifloordiv__": _iop(P.floor_divide_),
    "__iand__": _iop(_inplace_binary(P.AND)), "__ior__": _iop(_inplace_binary(P.OR)),
    "__ixor__": _iop(_inplace_binary(P.XOR)),
    "__eq__": _eq, "__ne__": _ne, "__lt__": P.lt, "__le__": P.le, "__gt__": P.gt, "__ge__": P.ge,
}
METHODS.update(creation.new_tensor_methods())
for _name, _op in P.UNARY_INPLACE.items():
    METHODS[_name + "_"] = _unary_inplace(_op)
METHODS["relu_"] = P.relu_  # (its dtype checks come before the overlap check)


def round_(self, decimals=None):
    """Tensor.round_(decimals=...): naming decimals (even 0) picks the second overload, RoundBackward1."""
    from .unary import ROUND_DECIMALS
    return P.ROUND.inplace(self) if decimals is None else ROUND_DECIMALS.inplace(self, decimals=decimals)


METHODS["round_"] = round_

PROPERTIES = {"T": S.T_property, "mT": S.mT, "mH": S.mT, "H": S.T_property}


def sgn(self):
    from .unary import SGN
    return SGN(self)


def sgn_(self):
    from .unary import SGN
    return SGN.inplace(self)


METHODS["sgn"] = sgn  # its own node, SgnBackward0 (issue 9)
METHODS["sgn_"] = sgn_


def bind() -> None:
    from .._core.callsite import PUBLIC_NAMES
    for name, fn in METHODS.items():
        setattr(Tensor, name, fn)
        code = getattr(fn, "__code__", None)
        in_place = (name.endswith("_") and not name.startswith("__")) or name == "__setitem__" \
            or (name.startswith("__i") and name != "__init__")
        if code is not None and in_place:
            PUBLIC_NAMES.setdefault(code, name)
    for name, fn in PROPERTIES.items():
        setattr(Tensor, name, property(fn))
    Tensor.__hash__ = lambda self: id(self)


def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    from ..autograd import backward as _backward
    if create_graph:
        from .._autograd.engine import warn_create_graph
        warn_create_graph()
    _backward(self, gradient, retain_graph, create_graph, inputs=inputs)


METHODS["backward"] = backward


# ---- DLPack: numpy implements the protocol for the tensor's array (torch/_tensor.py __dlpack__) ----
def __dlpack__(self, *, stream=-1, max_version=None, dl_device=None, copy=None):
    if self._requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
    if stream is not None and type(stream) is not int:
        raise TypeError("stream must be ``int`` or ``none``")
    if stream is not None and stream != -1:
        raise AssertionError("stream should be None on cpu.")
    options = {"max_version": max_version, "dl_device": dl_device, "copy": copy}
    return self._data.__dlpack__(**{k: v for k, v in options.items() if v is not None})


METHODS["__dlpack__"] = __dlpack__
METHODS["__dlpack_device__"] = lambda self: (1, 0)  # (kDLCPU, device 0)

from . import sorting as _sorting  # noqa: E402

METHODS.update(sort=_sorting.sort, argsort=_sorting.argsort, msort=_sorting.msort, topk=_sorting.topk)

from . import random_ops as _random  # noqa: E402

METHODS.update(uniform_=_random.uniform_, normal_=_random.normal_, random_=_random.random_,
               exponential_=_random.exponential_, bernoulli_=_random.bernoulli_,
               bernoulli=_random.tensor_bernoulli, multinomial=_random.tensor_multinomial)

from . import special as _special  # noqa: E402

METHODS.update(erf=lambda self: _special.ERF(self), erfc=lambda self: _special.ERFC(self),
               erf_=_special.erf_, erfc_=_special.erfc_)

from . import structure as _structure  # noqa: E402

METHODS.update({name: getattr(_structure, name) for name in (
    "tril", "triu", "roll", "repeat", "tile", "atan2", "hypot", "lerp", "nan_to_num", "isclose",
    "allclose")})
METHODS.update(arctan2=_structure.atan2)

from . import take as _take  # noqa: E402

METHODS.update(take=_take.take)
METHODS.update({name: getattr(_structure, name) for name in (
    "repeat_interleave", "take_along_dim", "bincount")}, unique=_structure.unique_method)
METHODS.update({name: getattr(_structure, name) for name in (
    "tril_", "triu_", "atan2_", "hypot_", "lerp_", "nan_to_num_")}, arctan2_=_structure.atan2_)


# hardshrink, prelu, xlogy (issue 4): implemented with nn.functional's checks, imported on first use
def _hardshrink(self, lambd=0.5):
    from .activation_ops import HARDSHRINK
    return HARDSHRINK(self, lambd=lambd)


def _prelu(self, weight):
    from ..nn.functional import prelu
    return prelu(self, weight)


def _xlogy(self, other):
    from .loss_ops import XLOGY, XLOGY_SCALAR_OTHER
    if isinstance(other, (int, float)):  # (a Python bool too: xlogy.Scalar_Other)
        return XLOGY_SCALAR_OTHER(self, other=other)
    return XLOGY(self, other)


METHODS.update(hardshrink=_hardshrink, prelu=_prelu, xlogy=_xlogy)

# issue 4, misc ops: erfinv, logcumsumexp, hsplit/vsplit/dsplit, the scatter family
from . import joining as _joining, scatter as _scatter  # noqa: E402

METHODS.update(
    erfinv=lambda self: _special.ERFINV(self), erfinv_=_special.erfinv_,
    logcumsumexp=lambda self, *args, **kwargs: R.logcumsumexp(self, *args, _method=True, **kwargs),
    hsplit=lambda self, *args, **kwargs: _joining.hsplit(self, *args, _method=True, **kwargs),
    vsplit=lambda self, *args, **kwargs: _joining.vsplit(self, *args, _method=True, **kwargs),
    dsplit=lambda self, *args, **kwargs: _joining.dsplit(self, *args, _method=True, **kwargs),
    scatter_add=lambda self, dim, index, src: _scatter.scatter_add(self, dim, index, src, _method=True),
    scatter_reduce=lambda self, dim, index, src, reduce, *, include_self=True: _scatter.scatter_reduce(
        self, dim, index, src, reduce, include_self=include_self, _method=True),
    scatter_reduce_=_scatter.scatter_reduce_, index_copy=_scatter.index_copy,
    index_copy_=_scatter.index_copy_,
    index_fill=_scatter.index_fill, index_fill_=_scatter.index_fill_,
    masked_scatter=lambda self, mask, source: _scatter.masked_scatter(self, mask, source, _method=True),
    masked_scatter_=_scatter.masked_scatter_)

# linalg ops (issue 4): add*mm methods and their in-place variants; Tensor.norm is torch.norm
METHODS.update(addmm=linalg.addmm, addmm_=linalg.addmm_, addmv=linalg.addmv, addmv_=linalg.addmv_,
               baddbmm=linalg.baddbmm, baddbmm_=linalg.baddbmm_, addbmm=linalg.addbmm,
               addbmm_=linalg.addbmm_, norm=linalg.tensor_norm)


def _equal(self, other):
    from .._core import messages
    if not isinstance(other, Tensor):
        raise TypeError(messages.ARG_MUST_BE_TENSOR.format(fname="equal", argname="other", position=1,
                                                           type=type(other).__name__))
    return self.shape == other.shape and bool(np.array_equal(self._data, other._data))


METHODS.update(
    equal=_equal,
    index_copy=lambda self, dim, index, source: _scatter.index_copy(self, dim, index, source, _method=True),
    scatter=lambda self, dim, index, src=None, *, value=None, reduce=None: _scatter.scatter(
        self, dim, index, src, value=value, reduce=reduce, _method=True))


def _positive(self):
    """torch.positive / unary +: the tensor itself; bool tensors are refused (issue 9)."""
    from .._core import messages
    if self._dtype is dt.bool_:
        raise RuntimeError(messages.POSITIVE_BOOL)
    return self


METHODS["__pos__"] = _positive
METHODS["positive"] = _positive
