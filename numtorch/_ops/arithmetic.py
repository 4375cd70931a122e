"""Binary arithmetic: add, sub, rsub, mul, div (with rounding modes), floor_divide, remainder, fmod.

Node names and formulas follow derivatives.yaml; a Python scalar operand is a wrapped 0-d tensor
(one next_functions entry) except where PyTorch takes a Scalar (rsub)."""
from __future__ import annotations

import numpy as np

from .._autograd import views
from .._core import dtypes as dt
from .._core import messages
from .dispatch import (_check_broadcast, Op, wrap_scalar, ZERO_ADD, ZERO_SUB, ZERO_IF_ANY, ZERO_DIV,
                       ZeroAwareOp)
from .._tensor import Tensor
from .pointwise_common import _check_scalar_cast, _guard, _not_for, _out, inplace_pointwise
from .unary import reciprocal


def _scaled(g, alpha):
    # FunctionsManual maybe_multiply: grad * alpha with a C++ Scalar (MulBackward1); the import
    # (a cycle at module level) only when it multiplies: an import statement costs ~1 us per call
    if alpha == 1:
        return g
    from .nn_ops import MUL_SCALAR
    return MUL_SCALAR(g, other=alpha)


ADD = ZeroAwareOp("add", lambda a, b, alpha=1: a + b if alpha == 1 else a + b * np.asarray(alpha, a.dtype),
                  zero_result=ZERO_ADD, node="AddBackward0", inputs=("self", "other"),
                  grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(g, c.alpha)})
SUB = ZeroAwareOp("sub", lambda a, b, alpha=1: a - b if alpha == 1 else a - b * np.asarray(alpha, a.dtype),
                  zero_result=ZERO_SUB, node="SubBackward0", inputs=("self", "other"),
                  grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(-g, c.alpha)})
RSUB = Op("rsub", lambda a, other, alpha=1: np.asarray(other, a.dtype) - (
          a if alpha == 1 else a * np.asarray(alpha, a.dtype)),
          node="RsubBackward1", promote=("other",),
          grads={"self": lambda c, g: _scaled(-g, c.alpha)})
RSUB_TENSOR = Op("rsub", lambda a, b, alpha=1: b - a if alpha == 1 else b - a * np.asarray(alpha, a.dtype),
                 node="RsubBackward0", inputs=("self", "other"),
                 grads={"self": lambda c, g: _scaled(-g, c.alpha), "other": lambda c, g: g})
MUL = ZeroAwareOp("mul", np.multiply, zero_result=ZERO_IF_ANY, node="MulBackward0", inputs=("self", "other"),
                  grads={"self": lambda c, g: _times(g, c.other), "other": lambda c, g: _times(g, c.self)})


def _times(g, saved):
    # MulBackward0's g * saved, without dispatch when nothing can record it (see Op.quick); a
    # gradient of a Tensor subclass (from a hook) may have its own __mul__
    r = MUL.quick(g, saved) if type(g) is Tensor else None
    return g * saved if r is None else r


DIV = ZeroAwareOp("div", np.true_divide, zero_result=ZERO_DIV, node="DivBackward0", inputs=("self", "other"),
                  promote="float",
                  grads={"self": lambda c, g: g / c.other,
                         "other": lambda c, g: -g * ((c.self / c.other) / c.other)})


def _int_zero_check(a, b):
    if a.dtype.kind in "iub" and np.broadcast(a, np.asarray(b)).size and np.any(np.asarray(b) == 0):
        raise RuntimeError(messages.INT_ZERO_DIVISION)


def _floor_div_kernel(a, b):
    # numpy's floor_divide is CPython's (and ATen's div_floor) algorithm: fmod-corrected, not floor(a/b)
    _not_for("div_floor_cpu", "bc", a, b)
    _int_zero_check(a, b)
    return np.floor_divide(a, b)


def _trunc_div_kernel(a, b):
    _not_for("div_trunc_cpu", "bc", a, b)
    _int_zero_check(a, b)
    if a.dtype.kind in "fc":
        return np.trunc(np.true_divide(a, b)).astype(a.dtype)
    # C's truncating quotient: a less its C remainder (fmod, a's sign) divides exactly, and stays in
    # range where |a| would not (the most negative integer)
    return np.floor_divide(a - np.fmod(a, b), b).astype(a.dtype, copy=False)


def _zeros_grad(g, *saved):
    """div(rounding_mode=...)'s derivative: zeros that do not depend on grad (derivatives.yaml
    div_tensor_self_backward / div_tensor_other_backward with a rounding mode)."""
    from .creation import zeros_like
    return zeros_like(g)


# div.Tensor_mode: a Python scalar divisor is a wrapped number, so both variants are DivBackward2
DIV_FLOOR = Op("div", lambda a, b, rounding_mode: _floor_div_kernel(a, b),
               node="DivBackward2", inputs=("self", "other"),
               grads={"self": lambda c, g: _zeros_grad(g, c.other),
                      "other": lambda c, g: _zeros_grad(g, c.self, c.other)})
DIV_TRUNC = Op("div", lambda a, b, rounding_mode: _trunc_div_kernel(a, b),
               node="DivBackward2", inputs=("self", "other"),
               grads={"self": lambda c, g: _zeros_grad(g, c.other),
                      "other": lambda c, g: _zeros_grad(g, c.self, c.other)})


def _remainder(a, b):
    """ATen's float remainder: fmod, moved into the divisor's sign (a zero keeps a's sign, where
    numpy's remainder takes the divisor's); integers as numpy (Python's modulo)."""
    if np.result_type(a, b).kind != "f":
        return np.remainder(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        mod = np.fmod(a, b)
        return np.where((mod != 0) & ((np.asarray(b) < 0) != (mod < 0)), mod + b, mod)


def _zero_checked(fn):
    """An integer kernel that raises ATen's ZeroDivisionError for a zero divisor."""
    def kernel(a, *rest, **kw):
        _int_zero_check(a, rest[0] if rest else kw["other"])
        return fn(a, *rest, **kw)
    return kernel


def _not_implemented(aten_name: str) -> Op:
    """An op without a derivative: PyTorch records a `NotImplemented` node (edges only to inputs
    that require grad) whose backward raises. See _strip_none_edges."""
    def formula(c, g):
        raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name=f"aten::{aten_name}"))
    kernel = {"floor_divide": _floor_div_kernel, "floor_divide_": _floor_div_kernel,
              "remainder": _guard("remainder_cpu", "bc", _zero_checked(_remainder))}[aten_name]
    op = Op(aten_name.rstrip("_"), kernel, node="NotImplemented", inputs=("self", "other"),
            grads={"self": formula, "other": formula})
    op.node_cls.name = lambda self: "torch::autograd::NotImplemented"
    op.fallback = True  # torch has no formula: its autograd fallback (see Op.fallback)
    # torch's NotImplemented node raises whenever it runs, whatever its inputs need (an edge can
    # have no node: a view made under no_grad); the formula does not go through needs_input_grad
    op.node_cls._formula = staticmethod(formula)
    return op


def _strip_none_edges(t: Tensor, inputs: tuple) -> Tensor:
    """Keep the NotImplemented node's edges of the inputs that required grad (`inputs`: one
    flag per input, taken before an in-place op), as torch does; such an edge may have no node."""
    fn = t._grad_fn
    if fn is not None and type(fn).__name__ == "NotImplemented":
        fn.next_functions = tuple(e for e, keep in zip(fn.next_functions, inputs) if keep)
    return t


def _rg(x) -> bool:
    return isinstance(x, Tensor) and x.requires_grad


FLOOR_DIVIDE = _not_implemented("floor_divide")
FLOOR_DIVIDE_INPLACE = _not_implemented("floor_divide_")
REMAINDER_SCALAR_TENSOR = _not_implemented("remainder")
REMAINDER = Op("remainder", _guard("remainder_cpu", "bc", _zero_checked(_remainder)), node="RemainderBackward1",
               inputs=("self", "other"),
               grads={"self": lambda c, g: g,
                      "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="floor")})
REMAINDER_SCALAR = Op("remainder", _guard("remainder_cpu", "bc", _zero_checked(lambda a, other: _remainder(
                          a, np.asarray(other, a.dtype)))),
                      node="RemainderBackward0", promote=("other",), grads={"self": lambda c, g: g})
FMOD = Op("fmod", _guard("fmod_cpu", "bc", _zero_checked(np.fmod)), node="FmodBackward1", inputs=("self", "other"),
          grads={"self": lambda c, g: g,
                 "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="trunc")})
FMOD_SCALAR = Op("fmod", _guard("fmod_cpu", "bc", _zero_checked(lambda a, other: np.fmod(a, np.asarray(other, a.dtype)))),
                 node="FmodBackward0", promote=("other",), grads={"self": lambda c, g: g})


@views.edges_first  # ATen's sub_check runs in the kernel, after sub/rsub's autograd kernel
def _sub_check(self, other) -> None:
    """ATen sub_check: bool operands (a Python bool counts as a bool tensor)."""
    a = self._dtype is dt.bool_ if isinstance(self, Tensor) else isinstance(self, bool)
    b = other._dtype is dt.bool_ if isinstance(other, Tensor) else isinstance(other, bool)
    if a or b:
        wrap_scalar(self), wrap_scalar(other)  # a non-number operand is the binding's TypeError
        raise RuntimeError(messages.SUB_TWO_BOOLS if a and b else messages.SUB_BOOL)


def _alpha_check(d: dt.dtype, alpha) -> None:
    """ATen alpha_check against the op's common dtype."""
    if isinstance(alpha, bool) and d is not dt.bool_:
        raise RuntimeError(messages.ALPHA_BOOL)
    if d.category <= 1 and not isinstance(alpha, (int, np.integer)):
        raise RuntimeError(messages.ALPHA_INTEGRAL)
    if not d.is_complex and isinstance(alpha, complex):
        raise RuntimeError(messages.ALPHA_COMPLEX)


def _checked_alpha(self, other, alpha):
    if type(alpha) is not int or alpha != 1:  # the default, int 1, skips the edges_first wrapper
        _checked_alpha_slow(self, other, alpha)


@views.edges_first  # ATen's alpha_check runs in the kernel, after add/sub's autograd kernel
def _checked_alpha_slow(self, other, alpha):
    if alpha != 1 or type(alpha) is not int:
        try:
            _alpha_check(dt.result_type(wrap_scalar(self), wrap_scalar(other)), alpha)
        except RuntimeError:  # ATen builds the TensorIterator (broadcast check) before alpha_check
            if isinstance(self, Tensor) and isinstance(other, Tensor):
                _check_broadcast([self._data, other._data])
            raise


_DEPRECATED_WARNED = [False]  # the argument parser's TORCH_WARN_ONCE: once per process, any overload


def _number_arg(v) -> bool:
    """A value torch's parser takes for a Number: a Python/NumPy scalar or a 0-d tensor."""
    if isinstance(v, Tensor):
        return v._data.ndim == 0
    return isinstance(v, (int, float, complex, np.number, np.bool_))


def _deprecated_alpha(name, method, alpha, rest, kw_alpha):
    """The deprecated overloads `add(input, alpha, other)` / `x.add(alpha, other)` (and sub's): a
    Number alpha before the other operand (which may be a number too); torch warns once per process
    and computes input + alpha * other. Any other extra positional argument is the parser's error."""
    if len(rest) != 1 or not _number_arg(alpha) or not (isinstance(rest[0], Tensor) or _number_arg(rest[0])) \
            or type(kw_alpha) is not int or kw_alpha != 1:
        k = 1 if method else 2
        raise TypeError(messages.ARG_TOO_MANY.format(name=name, n=k, s="" if k == 1 else "s",
                                                     m=k + len(rest), were="were"))
    if not _DEPRECATED_WARNED[0]:
        _DEPRECATED_WARNED[0] = True
        from .conversion import _warn_at_user
        text = messages.W_DEPRECATED_ALPHA_METHOD if method else messages.W_DEPRECATED_ALPHA
        _warn_at_user(text.format(name=name))
    return (alpha.item() if isinstance(alpha, Tensor) else alpha), rest[0]


def _make_add(method):
    def add(self, other, *deprecated, alpha=1, out=None):
        if deprecated:  # add(input, alpha, other): see _deprecated_alpha
            alpha, other = _deprecated_alpha("add", method, other, deprecated, alpha)
        _checked_alpha(self, other, alpha)
        if out is not None:
            return _out("add", ADD, out, self, other, alpha=alpha)
        return ADD(self, other, alpha=alpha)
    return add


def _make_sub(method):
    def sub(self, other, *deprecated, alpha=1, out=None):
        if deprecated:  # sub(input, alpha, other): see _deprecated_alpha
            alpha, other = _deprecated_alpha("sub", method, other, deprecated, alpha)
        _sub_check(self, other)
        _checked_alpha(self, other, alpha)
        if out is not None:
            return _out("sub", SUB, out, self, other, alpha=alpha)
        return SUB(self, other, alpha=alpha)
    return sub


# torch.add / torch.sub, and the Tensor methods (whose deprecated overload warns with another text)
add, add_method = _make_add(False), _make_add(True)
sub, sub_method = _make_sub(False), _make_sub(True)
for _f in (add, add_method, sub, sub_method):
    _f.__qualname__ = _f.__name__
del _f


def subtract(self, other, alpha=1, *, out=None):
    """torch.subtract: sub without the deprecated overload; its (Tensor, Number other, Number alpha)
    signature takes alpha positionally (the argument parser has checked the types)."""
    return sub(self, other, alpha=alpha, out=out)


def add_(self, other, *deprecated, alpha=1):
    if deprecated:  # x.add_(alpha, other): see _deprecated_alpha
        alpha, other = _deprecated_alpha("add_", True, other, deprecated, alpha)
    _checked_alpha(self, other, alpha)
    return inplace_pointwise(ADD, self, other, alpha=alpha)


def sub_(self, other, *deprecated, alpha=1):
    from .._autograd import views
    from .._core.state import STATE
    if deprecated:  # x.sub_(alpha, other): see _deprecated_alpha
        alpha, other = _deprecated_alpha("sub_", True, other, deprecated, alpha)
    # VariableType's check_inplace (leaf / view of a leaf) runs before the kernel's sub_check
    rec = STATE.grad_enabled and any(views.requires_grad(t) for t in (self, other) if isinstance(t, Tensor))
    try:
        views.check_inplace(self, rec)
    except RuntimeError:
        wrap_scalar(other)  # a non-number operand is the binding's TypeError, before any check
        raise
    _sub_check(self, other)
    _checked_alpha(self, other, alpha)
    return inplace_pointwise(SUB, self, other, alpha=alpha)


def subtract_(self, other, alpha=1):
    """Tensor.subtract_: sub_ without the deprecated overload (alpha positional, as subtract's)."""
    return sub_(self, other, alpha=alpha)


def rsub(self, other, alpha=1):
    """other - alpha * self (`2 - x` is rsub(x, 2): RsubBackward1, one edge)."""
    _sub_check(other, self)
    _checked_alpha(other, self, alpha)  # torch computes other - alpha * self
    if isinstance(other, Tensor):
        try:
            return RSUB_TENSOR(self, other, alpha=alpha)
        except RuntimeError as e:
            if str(e).startswith("The size of tensor a"):  # torch computes other - self: a is other
                _check_broadcast([other._data, self._data])
            raise
    return RSUB(self, other=other, alpha=alpha)


def mul(self, other, *, out=None):
    if out is not None:
        return _out("mul", MUL, out, self, other)
    return MUL(self, other)


def _div_op(rounding_mode):
    if rounding_mode is None:
        return DIV
    if rounding_mode == "floor":
        return DIV_FLOOR
    if rounding_mode == "trunc":
        return DIV_TRUNC
    raise RuntimeError(messages.DIV_ROUNDING_MODE.format(mode=rounding_mode))


def div(self, other, *, rounding_mode=None, out=None):
    op = _div_op(rounding_mode)
    attrs = {} if rounding_mode is None else {"rounding_mode": rounding_mode}
    if out is not None:
        return _out("div", op, out, self, other, **attrs)
    return op(self, other, **attrs)


def rdiv(self, other):  # other / self with other a scalar: torch computes reciprocal() * other
    return mul(reciprocal(self), other)


def floor_divide(self, other):
    out = FLOOR_DIVIDE(self, other)
    return _strip_none_edges(out, (_rg(self), _rg(other))) if out._grad_fn is not None else out


def floor_divide_(self, other):
    flags = (_rg(self), _rg(other))
    return _strip_none_edges(inplace_pointwise(FLOOR_DIVIDE_INPLACE, self, other), flags)


def _is_number(x) -> bool:
    return not isinstance(x, Tensor)


def remainder(self, other):
    if _is_number(self):  # remainder.Scalar_Tensor has no derivative
        return _strip_none_edges(REMAINDER_SCALAR_TENSOR(self, other), (False, _rg(other)))
    if _is_number(other):
        return REMAINDER_SCALAR(self, other=other)
    return REMAINDER(self, other)


def remainder_(self, other):
    if _is_number(other):
        return REMAINDER_SCALAR.inplace(_check_scalar_cast(self, other), other=other)
    return inplace_pointwise(REMAINDER, self, other)


def fmod(self, other):
    if _is_number(other):
        return FMOD_SCALAR(self, other=other)
    return FMOD(self, other)


def fmod_(self, other):
    if _is_number(other):
        return FMOD_SCALAR.inplace(_check_scalar_cast(self, other), other=other)
    return inplace_pointwise(FMOD, self, other)
