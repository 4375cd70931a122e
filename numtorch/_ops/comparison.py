"""Comparisons (eq, ne, lt, ...), logical and bitwise ops, isnan/isinf/isfinite, and where.
All are non-differentiable except where, whose condition is saved but is not an input edge."""
from __future__ import annotations

import numpy as np

from .._autograd import views
from .._core import dtypes as dt
from .._core import messages
from .dispatch import Op, wrap_scalar
from .._tensor import Tensor
from .pointwise_common import _guard, _tensor_arg, _zeros, inplace_pointwise


def _where_kernel(a, b, condition, dtype):
    return np.where(condition, a, b).astype(dtype.np, copy=False)


# where(condition, self, other): condition is saved but is not an input edge (next_functions has
# self and other only); the result type is computed inside the op, without ToCopy nodes
WHERE = Op("where", _where_kernel, node="WhereBackward0", inputs=("self", "other", "condition"),
           promote=None,
           grads={"self": lambda c, g: where(c.condition, g, 0.0),
                  "other": lambda c, g: where(c.condition, 0.0, g)})


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    a, b = wrap_scalar(input), wrap_scalar(other)
    if condition._dtype is not dt.bool_:
        raise RuntimeError(messages.WHERE_CONDITION_BOOL.format(dtype=condition._dtype.short_name))
    from .dispatch import _check_broadcast
    try:
        np.broadcast_shapes(condition._data.shape, a._data.shape, b._data.shape)
    except ValueError:
        _check_broadcast([condition._data, a._data, b._data])
    out = WHERE(a, b, condition, dtype=dt.result_type(a, b))
    fn = out._grad_fn
    if fn is not None:
        fn.next_functions = fn.next_functions[:2]
    return out


def where_method(self, condition, other):
    return where(condition, self, other)


def _cmp(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        return op(self, other)
    call.__name__ = name
    return call, op


eq, EQ = _cmp("eq", np.equal)
ne, NE = _cmp("ne", np.not_equal)
lt, LT = _cmp("lt", _guard("lt_cpu", "c", np.less))
le, LE = _cmp("le", _guard("le_cpu", "c", np.less_equal))
gt, GT = _cmp("gt", _guard("gt_cpu", "c", np.greater))
ge, GE = _cmp("ge", _guard("ge_cpu", "c", np.greater_equal))
logical_and, LOGICAL_AND = _cmp("logical_and", np.logical_and)
logical_or, LOGICAL_OR = _cmp("logical_or", np.logical_or)
logical_xor, LOGICAL_XOR = _cmp("logical_xor", np.logical_xor)


def _zeros_of(g, shape):
    from .creation import zeros
    return zeros(shape, dtype=g.dtype)


def _cmp_inplace(name, fn):
    """eq_ & co: the comparison written into self's dtype. derivatives.yaml gives zeros_like for
    both operands, saving nothing; a Python scalar other (the .Scalar overload) has no edge."""
    title = name.capitalize()
    scalar_op = Op(name + "_", lambda a, other: fn(a, other), node=f"{title}Backward0", promote=None,
                   grads={"self": lambda c, g: _zeros(g)})
    tensor_op = Op(name + "_", fn, node=f"{title}Backward1", inputs=("self", "other"),
                   grads={"self": lambda c, g: _zeros(g), "other": lambda c, g: _zeros_of(g, c.shapes[1])})

    def method(self, other):
        if isinstance(other, Tensor):
            return inplace_pointwise(tensor_op, self, other)
        return scalar_op.inplace(self, other=other)
    method.__name__ = name + "_"
    return method


eq_, ne_, lt_, le_, gt_, ge_ = (_cmp_inplace(n, f) for n, f in (
    ("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
    ("gt", np.greater), ("ge", np.greater_equal)))


def _logical_inplace(name, op):
    """logical_and_ & co are not differentiable: self's history is left as it is (PyTorch)."""
    def method(self, other):
        _tensor_arg(name + "_", other, 1)
        return inplace_pointwise(op, self, other)
    method.__name__ = name + "_"
    return method


logical_and_ = _logical_inplace("logical_and", LOGICAL_AND)
logical_or_ = _logical_inplace("logical_or", LOGICAL_OR)
logical_xor_ = _logical_inplace("logical_xor", LOGICAL_XOR)


def _bitwise(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        from .dispatch import _check_broadcast
        # torch has no formula for bitwise ops: its autograd fallback collects the inputs' edges
        # before anything else, so a stale view that requires grad raises its view error first
        views.touch_grad_fns((self, other))
        d = dt.result_type(self, wrap_scalar(other))
        if isinstance(self, Tensor) and isinstance(other, Tensor):  # TensorIterator's shapes first
            _check_broadcast((self._data, other._data))
        if d.category >= 2:
            raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=f"{name}_cpu",
                                                                            dtype=d.short_name))
        return op(self, other)
    call.__name__ = name
    return call, op


bitwise_and, AND = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or, OR = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor, XOR = _bitwise("bitwise_xor", np.bitwise_xor)
_NOT = Op("logical_not", np.logical_not, promote=None, nondifferentiable=True)
_BNOT = Op("bitwise_not", lambda a: np.logical_not(a) if a.dtype == np.bool_ else np.invert(a),
           promote=None, nondifferentiable=True)


def logical_not(self):
    return _NOT(self)


def logical_not_(self):
    return _NOT.inplace(self)


def bitwise_not(self):
    views.touch_grad_fns((self,))  # (torch's autograd fallback, as for bitwise_and)
    if self._dtype.category >= 2:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="bitwise_not_cpu",
                                                                       dtype=self._dtype.short_name))
    return _BNOT(self)


_ISNAN = Op("isnan", np.isnan, promote=None, nondifferentiable=True)
_ISINF = Op("isinf", np.isinf, promote=None, nondifferentiable=True)
_ISFINITE = Op("isfinite", np.isfinite, promote=None, nondifferentiable=True)


def isnan(self):
    return _ISNAN(self)


def isinf(self):
    return _ISINF(self)


def isfinite(self):
    # ATen's isfinite calls abs (differentiable) on floating and complex inputs, so a stale view
    # raises; integral inputs give ones_like without touching autograd
    if self._view is not None and self._dtype.category >= 2:
        views.touch_grad_fn(self)
    return _ISFINITE(self)
